// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace kerbside {

/** A small CSV file (RFC 4180: comma, double-quoted fields, CRLF or LF; UTF-8, a BOM is
 *  skipped) read whole: a header row and data rows, every row as wide as the header. Blank
 *  lines are skipped. For coordinator input such as quota targets, so it is bounded: at most
 *  kMaxBytes and kMaxRows. */
struct CsvTable
{
    QStringList header;
    QList<QStringList> rows;
    QList<int> lines; // the 1-based line each row starts on

    static constexpr qsizetype kMaxBytes = 4 * 1024 * 1024;
    static constexpr qsizetype kMaxRows = 100'000;

    // On failure `error` says what and on which line.
    static std::optional<CsvTable> parse(const QByteArray &bytes, QString *error);
    int column(const QString &name) const { return int(header.indexOf(name)); }
};

} // namespace kerbside
