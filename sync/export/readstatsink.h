// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "outputfile.h"
#include "tablesink.h"

#include <QDateTime>

#include <vector>

struct readstat_writer_s;
struct readstat_variable_s;

namespace kerbside {

/** SPSS .sav or Stata .dta through ReadStat. Variable labels from question labels, value
 *  labels from choice lists, "not relevant" / "not answered" / "refused interview" kept apart
 *  (SPSS: user-missing -97/-98/-99; Stata: extended missing .a/.b/.c), dates and times as
 *  real date variables (SPSS DATE11 / DATETIME20 / TIME8; Stata %td / %tc). Needs the row
 *  count and each Text column's width up front (ExportColumn::textWidth). */
class ReadStatSink final : public TableSink
{
public:
    enum class Format { Sav, Dta };
    // `timestamp` goes into the file header: pass a value derived from the data (not the
    // clock) so the same data gives the same bytes.
    ReadStatSink(const QString &path, Format format, const QDateTime &timestamp);
    ~ReadStatSink() override;

    void begin(const ExportTable &table, qint64 rowCount) override;
    void row(const ExportRow &row) override;
    void finish() override;
    QString path() const override { return m_out.path(); }
    QByteArray sha256Hex() const override { return m_out.sha256Hex(); }

    qint64 truncatedValues() const { return m_truncated; } // Stata strings cut at 2045 bytes
    // Choices declared missing that SPSS could not declare (a range and one value fit).
    int undeclaredMissing() const { return m_undeclared; }
    // Stata's 80-character variable label: cut at a word, with an ellipsis.
    static QByteArray stataLabel(const QString &label);

    static constexpr int kStataMaxString = 2045;
    static constexpr int kSpssMaxString = 32767;

private:
    static long writeBytes(const void *data, size_t len, void *ctx);
    void check(int error, const QString &what) const;
    void insertMissing(int column, const ExportCell &cell);

    OutputFile m_out;
    Format m_format;
    QDateTime m_timestamp;
    readstat_writer_s *m_writer = nullptr;
    std::vector<readstat_variable_s *> m_vars;
    QList<ExportColumn> m_columns;
    qint64 m_declaredRows = 0;
    qint64 m_rows = 0;
    qint64 m_truncated = 0;
    int m_undeclared = 0;
    QString m_writeError;
};

} // namespace kerbside
