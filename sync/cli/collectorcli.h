// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "command.h"

#include "collectorstore.h"

#include <QHash>
#include <QStringList>

#include <memory>

namespace kerbside::cli {

// Exit codes of the collector and coordinator commands.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRefused = 1;  // input refused (bad file, unknown id, used code, ...)
inline constexpr int kExitUsage = 2;    // wrong arguments
inline constexpr int kExitDatabase = 3; // the database cannot be opened or failed

/** Arguments of one coordinator command: positionals and "--name value" options. */
struct CollectorArgs
{
    QStringList positional;
    QMultiHash<QString, QString> options; // name without dashes -> values, in order given
    QString value(const QString &name, const QString &fallback = {}) const
    {
        const QStringList all = values(name);
        return all.isEmpty() ? fallback : all.last();
    }
    QStringList values(const QString &name) const
    {
        QStringList v = options.values(name);
        std::reverse(v.begin(), v.end()); // QMultiHash returns the newest first
        return v;
    }
    bool has(const QString &name) const { return options.contains(name); }
};

// Accepts "--name value" and "--name=value" for the names in valueOptions, "--flag" for flags.
// Prints the problem and `usage` and returns false on anything else.
inline bool parseCollectorArgs(const QStringList &args, const QStringList &valueOptions,
                               const QStringList &flags, const QString &usage, CollectorArgs *out)
{
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        if (!a.startsWith(QLatin1String("--"))) {
            out->positional.append(a);
            continue;
        }
        QString name = a.mid(2);
        QString value;
        const qsizetype eq = name.indexOf(QLatin1Char('='));
        const bool inlineValue = eq >= 0;
        if (inlineValue) {
            value = name.mid(eq + 1);
            name = name.left(eq);
        }
        if (flags.contains(name) && !inlineValue) {
            out->options.insert(name, QStringLiteral("1"));
        } else if (valueOptions.contains(name)) {
            if (!inlineValue) {
                if (i + 1 >= args.size()) {
                    err(QStringLiteral("option --%1 needs a value").arg(name));
                    err(usage);
                    return false;
                }
                value = args[++i];
            }
            out->options.insert(name, value);
        } else {
            err(QStringLiteral("unknown option '%1'").arg(a));
            err(usage);
            return false;
        }
    }
    return true;
}

// Opens the store named by --db; prints the reason and returns null when it cannot.
inline std::unique_ptr<CollectorStore> openCollectorDb(const CollectorArgs &args, const QString &usage)
{
    const QString path = args.value(QStringLiteral("db"));
    if (path.isEmpty()) {
        err(QStringLiteral("--db PATH is required"));
        err(usage);
        return nullptr;
    }
    try {
        return openCollectorStore(path);
    } catch (const CollectorError &e) {
        err(QStringLiteral("cannot open the collector database: %1").arg(e.message()));
        return nullptr;
    }
}

// A string a device sent (ids, refusal reasons quoting them), fit for a terminal: control
// characters (C0, DEL, C1) and the bidirectional overrides become \xNN or \uNNNN, so a device
// cannot move the cursor, clear the screen or reorder what the coordinator reads.
inline QString printable(const QString &s)
{
    QString outText;
    outText.reserve(s.size());
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        if (u < 0x20 || (u >= 0x7f && u < 0xa0))
            outText += QStringLiteral("\\x%1").arg(int(u), 2, 16, QLatin1Char('0'));
        else if ((u >= 0x202a && u <= 0x202e) || (u >= 0x2066 && u <= 0x2069) || u == 0x2028 || u == 0x2029)
            outText += QStringLiteral("\\u%1").arg(int(u), 4, 16, QLatin1Char('0'));
        else if (u == '\\')
            outText += QStringLiteral("\\\\");
        else
            outText += c;
    }
    return outText;
}

inline QString timeText(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")) + QStringLiteral("Z") : QStringLiteral("-");
}

} // namespace kerbside::cli
