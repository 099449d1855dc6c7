// SPDX-License-Identifier: Apache-2.0
#include "httptypes.h"

#include "urlcoding.h"

#include <algorithm>
#include <cctype>

namespace kerbside::http {

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

bool HttpHeaders::has(std::string_view name) const
{
    return std::any_of(m_fields.begin(), m_fields.end(), [&](const auto &f) { return equalsIgnoringCase(f.first, name); });
}

std::string HttpHeaders::value(std::string_view name) const
{
    for (const auto &f : m_fields) {
        if (equalsIgnoringCase(f.first, name))
            return f.second;
    }
    return {};
}

void HttpHeaders::set(std::string name, std::string value)
{
    remove(name);
    m_fields.emplace_back(std::move(name), std::move(value));
}

void HttpHeaders::add(std::string name, std::string value)
{
    m_fields.emplace_back(std::move(name), std::move(value));
}

void HttpHeaders::remove(std::string_view name)
{
    m_fields.erase(std::remove_if(m_fields.begin(), m_fields.end(), [&](const auto &f) { return equalsIgnoringCase(f.first, name); }),
                   m_fields.end());
}

std::string HttpRequest::param(const std::string &name) const
{
    const auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
}

std::map<std::string, std::string> HttpRequest::queryItems() const
{
    std::map<std::string, std::string> items;
    std::string_view rest = query;
    while (!rest.empty()) {
        const size_t amp = rest.find('&');
        const std::string_view item = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        if (item.empty())
            continue;
        const size_t eq = item.find('=');
        std::optional<std::string> key = percentDecode(item.substr(0, eq), true);
        std::optional<std::string> value = percentDecode(eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1), true);
        if (key && value)
            items.try_emplace(std::move(*key), std::move(*value));
    }
    return items;
}

std::optional<std::string> HttpRequest::queryValue(std::string_view name) const
{
    const std::map<std::string, std::string> items = queryItems();
    const auto it = items.find(std::string(name));
    if (it == items.end())
        return std::nullopt;
    return it->second;
}

std::optional<std::string> HttpRequest::cookie(std::string_view name) const
{
    for (const auto &[field, value] : headers.fields()) {
        if (!equalsIgnoringCase(field, "Cookie"))
            continue;
        std::string_view rest = value;
        while (!rest.empty()) {
            const size_t semi = rest.find(';');
            std::string_view pair = rest.substr(0, semi);
            rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
            while (!pair.empty() && pair.front() == ' ')
                pair.remove_prefix(1);
            const size_t eq = pair.find('=');
            if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
                std::string_view v = pair.substr(eq + 1);
                if (v.size() >= 2 && v.front() == '"' && v.back() == '"')
                    v = v.substr(1, v.size() - 2);
                return std::string(v);
            }
        }
    }
    return std::nullopt;
}

HttpResponse HttpResponse::text(int status, std::string body, std::string contentType)
{
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers.set("Content-Type", std::move(contentType));
    return r;
}

HttpResponse HttpResponse::streamed(std::string contentType, StreamProvider provider)
{
    HttpResponse r;
    r.headers.set("Content-Type", std::move(contentType));
    r.stream = std::move(provider);
    return r;
}

} // namespace kerbside::http
