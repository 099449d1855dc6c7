// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace kerbside {

/** Hands out one shared QString per distinct short UTF-8 text while reading many rows.
 *
 *  An outbox of 500 interviews holds ~10,000 answers, but only a few hundred distinct
 *  question names and short values ("yes", "3", a form id). Converting each once and sharing
 *  the QString (a copy shares its data) saves a conversion and an allocation per repeat, and
 *  lets BatchCodec::encode find a string it has seen by its data pointer. Looked up with
 *  std::hash (no per-process seed: a few ns for a short text, where qHash's SipHash costs
 *  more than the conversion it saves). Bounded: long texts and anything past kMaxEntries are
 *  converted as usual, so a hostile store cannot grow it. */
class TextIntern
{
public:
    static constexpr qsizetype kMaxBytes = 64;
    static constexpr size_t kMaxEntries = 8192;

    QString get(const char *utf8, qsizetype size)
    {
        if (size == 0 || size > kMaxBytes)
            return QString::fromUtf8(utf8, size);
        const std::string_view key(utf8, size_t(size));
        const auto it = m_texts.find(key);
        if (it != m_texts.end())
            return it->second;
        QString text = QString::fromUtf8(utf8, size);
        if (m_texts.size() < kMaxEntries)
            m_texts.emplace(std::string(key), text);
        return text;
    }

private:
    struct Hash
    {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, QString, Hash, std::equal_to<>> m_texts;
};

} // namespace kerbside
