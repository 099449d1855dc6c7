// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "outputfile.h"
#include "tablesink.h"

namespace kerbside {

/** JSON Lines: one object per row, keys in column order. Numbers stay numbers, choices their
 *  names, dates ISO 8601 strings; a missing value is null and the reason is kept in "_missing"
 *  ({"heard_how": "not_relevant"}). UTF-8, LF line ends. */
class JsonlSink final : public TableSink
{
public:
    explicit JsonlSink(const QString &path);

    void begin(const ExportTable &table, qint64 rowCount) override;
    void row(const ExportRow &row) override;
    void finish() override;
    QString path() const override { return m_out.path(); }
    QByteArray sha256Hex() const override { return m_out.sha256Hex(); }

    static void appendString(QByteArray *out, const char *data, qsizetype size);

private:
    OutputFile m_out;
    QList<QByteArray> m_keys; // quoted, with the colon
    QList<ColumnKind> m_kinds;
    QByteArray m_line;
};

} // namespace kerbside
