// SPDX-License-Identifier: Apache-2.0
#include "httproutes.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace kerbside::http {

namespace {

std::vector<std::string> splitPath(const std::string &path)
{
    std::vector<std::string> parts;
    std::size_t start = 1; // after the leading '/'
    while (start <= path.size()) {
        const std::size_t slash = path.find('/', start);
        const std::size_t end = slash == std::string::npos ? path.size() : slash;
        parts.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return parts;
}

HttpResponse notFound()
{
    HttpResponse r = HttpResponse::text(404, "not found\n");
    r.headers.set("X-Kerbside-Error", "not-found");
    return r;
}

} // namespace

bool CompiledRoute::matchesPath(const std::string &p, std::map<std::string, std::string> *params) const
{
    switch (kind) {
    case Kind::Exact:
        return p == path;
    case Kind::Prefix:
        return p.compare(0, path.size(), path) == 0;
    case Kind::Pattern: {
        const std::vector<std::string> parts = splitPath(p);
        if (parts.size() != segments.size())
            return false;
        std::map<std::string, std::string> captured;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            const std::string &s = segments[i];
            if (s.size() > 2 && s.front() == '{' && s.back() == '}') {
                if (parts[i].empty())
                    return false;
                captured[s.substr(1, s.size() - 2)] = parts[i];
            } else if (s != parts[i]) {
                return false;
            }
        }
        *params = std::move(captured);
        return true;
    }
    }
    return false;
}

void Router::add(std::string method, std::string path, Handler handler, RouteOptions options)
{
    CompiledRoute r;
    r.method = std::move(method);
    r.handler = std::move(handler);
    r.options = std::move(options);
    if (!path.empty() && path.back() == '*') {
        r.kind = CompiledRoute::Kind::Prefix;
        path.pop_back();
    } else if (path.find('{') != std::string::npos) {
        r.kind = CompiledRoute::Kind::Pattern;
        r.segments = splitPath(path);
    }
    r.path = std::move(path);
    m_routes.push_back(std::move(r));
}

const CompiledRoute *Router::match(HttpRequest &req, bool *otherMethod) const
{
    *otherMethod = false;
    for (const CompiledRoute &r : m_routes) {
        std::map<std::string, std::string> params;
        if (!r.matchesPath(req.path, &params))
            continue;
        if (r.method != req.method) {
            *otherMethod = true;
            continue;
        }
        req.params = std::move(params);
        return &r;
    }
    return nullptr;
}

std::string contentTypeFor(const std::string &fileName)
{
    static const std::pair<const char *, const char *> kTypes[] = {
        {".html", "text/html; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"}, {".mjs", "text/javascript; charset=utf-8"},
        {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
        {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".ico", "image/x-icon"},
        {".woff2", "font/woff2"}, {".txt", "text/plain; charset=utf-8"}, {".map", "application/json"},
        {".webmanifest", "application/manifest+json"},
    };
    const std::size_t dot = fileName.rfind('.');
    if (dot != std::string::npos) {
        std::string ext = fileName.substr(dot);
        for (char &c : ext)
            c = char(std::tolower(static_cast<unsigned char>(c)));
        for (const auto &[e, type] : kTypes) {
            if (ext == e)
                return type;
        }
    }
    return "application/octet-stream";
}

HttpResponse staticFileResponse(const std::string &root, const std::string &relative)
{
    namespace fs = std::filesystem;
    // Only plain names: no "..", ".", dot files, backslashes or empty segments.
    std::string rel = relative;
    if (rel.empty() || rel.back() == '/')
        rel += "index.html";
    std::size_t start = 0;
    while (start <= rel.size()) {
        const std::size_t slash = rel.find('/', start);
        const std::string part = rel.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        if (part.empty() || part.front() == '.' || part.find('\\') != std::string::npos)
            return notFound();
        if (slash == std::string::npos)
            break;
        start = slash + 1;
    }
    std::error_code ec;
    const fs::path base = fs::canonical(root, ec);
    if (ec)
        return notFound();
    fs::path file = fs::canonical(base / rel, ec);
    if (!ec && fs::is_directory(file, ec))
        file = fs::canonical(file / "index.html", ec);
    // canonical() resolved every symlink: the file must still be inside the root.
    const std::string b = base.string() + "/";
    if (ec || file.string().compare(0, b.size(), b) != 0 || !fs::is_regular_file(file, ec))
        return notFound();
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return notFound();
    std::ostringstream data;
    data << in.rdbuf();
    HttpResponse r = HttpResponse::text(200, data.str(), contentTypeFor(file.filename().string()));
    r.headers.set("Cache-Control", "no-cache");
    return r;
}

} // namespace kerbside::http
