// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

namespace kerbside {

/** Where each value of a JSON text starts, by JSON path ("$.questions[4].relevant" -> line 23),
 *  and which objects repeat a key. QJsonDocument keeps neither: it has no positions and keeps
 *  only the last of two equal keys, which would silently drop a label. Expects JSON that
 *  QJsonDocument has already accepted; on anything else it stops where it is lost. */
class JsonLineMap
{
public:
    struct DuplicateKey
    {
        QString key;
        QString path;      // the repeated key's path, "$.questions[2].label"
        int line = 0;      // line of the repeated (later) value
        int firstLine = 0; // line of the first value with that key
    };

    // recordLines false only looks for duplicate keys (cheap: no path strings are built).
    static JsonLineMap scan(const QByteArray &json, bool recordLines = true);
    static QString childPath(const QString &parent, const QString &key); // "$.a" + "b" -> "$.a.b"
    static QString indexPath(const QString &parent, qsizetype index);    // "$.a" + 2 -> "$.a[2]"

    int line(const QString &path) const { return m_lines.value(path, 0); } // 1-based; 0 unknown
    const QList<DuplicateKey> &duplicateKeys() const { return m_duplicates; }

private:
    friend class JsonScanner;
    QHash<QString, int> m_lines;
    QList<DuplicateKey> m_duplicates;
};

} // namespace kerbside
