// SPDX-License-Identifier: Apache-2.0
#include "readstatsink.h"

#include "exporterror.h"

#include <readstat.h>

namespace kerbside {

namespace {

// SPSS counts seconds from 1582-10-14, Stata days / ms from 1960-01-01; we hold 1970-based.
constexpr double kSpssEpochOffsetS = 12219379200.0; // 1582-10-14 .. 1970-01-01
constexpr double kStataEpochOffsetDays = 3653.0;    // 1960-01-01 .. 1970-01-01
constexpr double kStataEpochOffsetMs = 3653.0 * 86400000.0;
constexpr int kSpssMaxLabelBytes = 256;      // variable labels
constexpr int kSpssMaxValueLabelBytes = 120; // value labels
constexpr int kStataMaxLabelChars = 80;      // variable labels (dta 118: 80 UTF-8 characters)

// Cuts UTF-8 at a character boundary so no reader sees half a character.
QByteArray utf8Prefix(const QByteArray &s, int maxBytes)
{
    if (s.size() <= maxBytes)
        return s;
    int end = maxBytes;
    while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80)
        --end;
    return s.left(end);
}

} // namespace

QByteArray ReadStatSink::stataLabel(const QString &s)
{
    const QList<uint> cps = s.toUcs4();
    if (cps.size() <= kStataMaxLabelChars)
        return s.toUtf8();
    // Never mid-word: cut at the last space that leaves room for the ellipsis.
    int end = kStataMaxLabelChars - 1;
    while (end > 0 && cps[end] != ' ')
        --end;
    if (end == 0)
        end = kStataMaxLabelChars - 1; // one word longer than a label: nothing better to do
    QString cut = QString::fromUcs4(reinterpret_cast<const char32_t *>(cps.constData()), end).trimmed();
    while (cut.endsWith(QLatin1Char(':')) || cut.endsWith(QLatin1Char(',')))
        cut.chop(1);
    return (cut + QChar(0x2026)).toUtf8();
}

namespace {

const auto &kMissing = missingcode::kReasons;

} // namespace

ReadStatSink::ReadStatSink(const QString &path, Format format, const QDateTime &timestamp)
    : m_out(path), m_format(format), m_timestamp(timestamp)
{
}

ReadStatSink::~ReadStatSink()
{
    if (m_writer)
        readstat_writer_free(m_writer);
}

long ReadStatSink::writeBytes(const void *data, size_t len, void *ctx)
{
    auto *self = static_cast<ReadStatSink *>(ctx);
    try { // never let an exception cross ReadStat's C frames
        self->m_out.write(static_cast<const char *>(data), qsizetype(len));
    } catch (const ExportError &e) {
        self->m_writeError = e.message();
        return -1;
    }
    return long(len);
}

void ReadStatSink::check(int error, const QString &what) const
{
    if (error == READSTAT_OK)
        return;
    if (!m_writeError.isEmpty())
        throw ExportError(m_writeError);
    throw ExportError(QStringLiteral("%1: %2: %3")
                          .arg(m_out.path(), what, QString::fromUtf8(readstat_error_message(readstat_error_t(error)))));
}

void ReadStatSink::begin(const ExportTable &table, qint64 rowCount)
{
    const bool sav = m_format == Format::Sav;
    m_columns = table.columns;
    m_declaredRows = rowCount;
    m_writer = readstat_writer_init();
    readstat_set_data_writer(m_writer, &ReadStatSink::writeBytes);
    const QByteArray title = sav ? utf8Prefix(table.title.toUtf8(), 64) : stataLabel(table.title);
    readstat_writer_set_file_label(m_writer, title.constData());
    readstat_writer_set_file_timestamp(m_writer, time_t(m_timestamp.isValid() ? m_timestamp.toSecsSinceEpoch() : 0));
    if (sav)
        readstat_writer_set_compression(m_writer, READSTAT_COMPRESS_ROWS);
    for (const QString &note : table.notes) { // Stata only: SPSS documents hold 80-byte lines
        if (!sav)
            readstat_add_note(m_writer, note.toUtf8().constData());
    }

    // One label set for the missing codes of plain numeric variables.
    // SPSS holds every number as a double (and ReadStat declares missing values on doubles
    // only), so .sav codes are doubles; Stata value labels need integer variables.
    const readstat_type_t codeType = sav ? READSTAT_TYPE_DOUBLE : READSTAT_TYPE_INT32;
    readstat_label_set_t *missingSet = readstat_add_label_set(m_writer, codeType, "kb_missing");
    auto addLabel = [sav](readstat_label_set_t *set, int code, const char *text) {
        if (sav)
            readstat_label_double_value(set, code, text);
        else
            readstat_label_int32_value(set, code, text);
    };
    for (const missingcode::Reason &m : kMissing) {
        if (sav)
            readstat_label_double_value(missingSet, m.code, m.label);
        else
            readstat_label_tagged_value(missingSet, m.tag, m.label);
    }

    m_vars.clear();
    for (const ExportColumn &c : m_columns) {
        const QByteArray name = (sav ? c.spssName : c.stataName).toUtf8();
        readstat_type_t type = READSTAT_TYPE_DOUBLE;
        size_t width = 0;
        switch (c.kind) {
        case ColumnKind::Text:
            type = READSTAT_TYPE_STRING;
            width = size_t(qBound(1, c.textWidth, sav ? kSpssMaxString : kStataMaxString));
            break;
        case ColumnKind::Code:
        case ColumnKind::Flag:
            type = codeType;
            break;
        default:
            break;
        }
        readstat_variable_t *v = readstat_add_variable(m_writer, name.constData(), type, width);
        const QByteArray label = sav ? utf8Prefix(c.label.toUtf8(), kSpssMaxLabelBytes) : stataLabel(c.label);
        readstat_variable_set_label(v, label.constData());
        switch (c.kind) {
        case ColumnKind::Text:
            readstat_variable_set_measure(v, READSTAT_MEASURE_NOMINAL);
            break;
        case ColumnKind::Number:
            readstat_variable_set_measure(v, READSTAT_MEASURE_SCALE);
            if (sav) {
                const QByteArray fmt = QByteArrayLiteral("F") + QByteArray::number(c.decimals ? 12 : 8) + '.'
                                       + QByteArray::number(c.decimals);
                readstat_variable_set_format(v, fmt.constData());
            }
            break;
        case ColumnKind::Date:
            readstat_variable_set_format(v, sav ? "DATE11" : "%td");
            readstat_variable_set_measure(v, READSTAT_MEASURE_SCALE);
            break;
        case ColumnKind::DateTime:
            readstat_variable_set_format(v, sav ? "DATETIME20" : "%tc");
            readstat_variable_set_measure(v, READSTAT_MEASURE_SCALE);
            break;
        case ColumnKind::Time:
            readstat_variable_set_format(v, sav ? "TIME8" : "%tcHH:MM:SS");
            readstat_variable_set_measure(v, READSTAT_MEASURE_SCALE);
            break;
        case ColumnKind::Code:
        case ColumnKind::Flag:
            readstat_variable_set_measure(v, READSTAT_MEASURE_NOMINAL);
            if (sav)
                readstat_variable_set_format(v, "F8.0");
            break;
        }
        // Only question variables can be not relevant / not answered / refused; metadata
        // (start, status, ...) is either there or system-missing.
        const bool reasons = !c.question.isEmpty();
        if (c.isNumeric()) {
            if (sav && reasons && c.missingCodes.isEmpty()) {
                for (const missingcode::Reason &m : kMissing)
                    check(readstat_variable_add_missing_double_value(v, m.code),
                          QStringLiteral("missing values of %1").arg(c.name));
            } else if (sav && reasons) {
                // SPSS allows a range and one value: the reasons' range and the choice declared
                // missing. A second one cannot be declared (the codebook says so).
                check(readstat_variable_add_missing_double_range(v, missingcode::kRefused, missingcode::kNotRelevant),
                      QStringLiteral("missing values of %1").arg(c.name));
                check(readstat_variable_add_missing_double_value(v, c.missingCodes.first()),
                      QStringLiteral("missing values of %1").arg(c.name));
                m_undeclared += int(c.missingCodes.size()) - 1;
            }
            if (c.kind == ColumnKind::Code || c.kind == ColumnKind::Flag) {
                // Stata label names must be valid names: the variable's own name is.
                readstat_label_set_t *set = readstat_add_label_set(m_writer, codeType, c.stataName.toUtf8().constData());
                if (c.kind == ColumnKind::Flag) {
                    addLabel(set, 0, "Not selected");
                    addLabel(set, 1, "Selected");
                }
                for (const ValueLabel &l : c.valueLabels) {
                    const QByteArray text = sav ? utf8Prefix(l.label.toUtf8(), kSpssMaxValueLabelBytes) : l.label.toUtf8();
                    if (!sav && l.missingTag)
                        readstat_label_tagged_value(set, l.missingTag, text.constData());
                    else
                        addLabel(set, l.code, text.constData());
                }
                for (const missingcode::Reason &m : kMissing) {
                    if (!reasons)
                        break;
                    if (sav)
                        addLabel(set, m.code, m.label);
                    else
                        readstat_label_tagged_value(set, m.tag, m.label);
                }
                readstat_variable_set_label_set(v, set);
            } else if (c.kind == ColumnKind::Number && reasons) {
                readstat_variable_set_label_set(v, missingSet);
            }
        }
        m_vars.push_back(v);
    }
    const readstat_error_t rc = sav ? readstat_begin_writing_sav(m_writer, this, long(rowCount))
                                    : readstat_begin_writing_dta(m_writer, this, long(rowCount));
    check(rc, QStringLiteral("writing the dictionary"));
}

void ReadStatSink::insertMissing(int i, const ExportCell &cell)
{
    const ExportCell::State state = cell.state;
    const ExportColumn &c = m_columns[i];
    readstat_variable_t *v = m_vars[size_t(i)];
    if (!c.isNumeric()) {
        check(readstat_insert_string_value(m_writer, v, ""), c.name);
        return;
    }
    if (state == ExportCell::State::MissingChoice) { // a choice declared missing: its code / tag
        if (m_format == Format::Sav) {
            check(readstat_insert_double_value(m_writer, v, cell.number), c.name);
            return;
        }
        for (const ValueLabel &l : c.valueLabels) {
            if (l.missingTag && l.code == int(cell.number)) {
                check(readstat_insert_tagged_missing_value(m_writer, v, l.missingTag), c.name);
                return;
            }
        }
        check(readstat_insert_missing_value(m_writer, v), c.name);
        return;
    }
    int k = -1;
    switch (state) {
    case ExportCell::State::NotRelevant: k = 0; break;
    case ExportCell::State::NotAnswered: k = 1; break;
    case ExportCell::State::Refused: k = 2; break;
    default: break;
    }
    if (k < 0) {
        check(readstat_insert_missing_value(m_writer, v), c.name);
    } else if (m_format == Format::Sav) {
        check(readstat_insert_double_value(m_writer, v, kMissing[k].code), c.name);
    } else {
        check(readstat_insert_tagged_missing_value(m_writer, v, kMissing[k].tag), c.name);
    }
}

void ReadStatSink::row(const ExportRow &row)
{
    if (m_rows >= m_declaredRows)
        throw ExportError(QStringLiteral("%1: more rows than counted in the first pass").arg(m_out.path()), true);
    ++m_rows;
    const bool sav = m_format == Format::Sav;
    if (const readstat_error_t rc = readstat_begin_row(m_writer); rc != READSTAT_OK)
        check(rc, QStringLiteral("row %1").arg(m_rows));
    for (int i = 0; i < m_columns.size(); ++i) {
        const ExportCell &cell = row[i];
        if (cell.state != ExportCell::State::Value) {
            insertMissing(i, cell);
            continue;
        }
        const ExportColumn &c = m_columns[i];
        readstat_variable_t *v = m_vars[size_t(i)];
        readstat_error_t rc = READSTAT_OK;
        switch (c.kind) {
        case ColumnKind::Text: {
            const int width = qBound(1, c.textWidth, sav ? kSpssMaxString : kStataMaxString);
            if (cell.text.size() > width) {
                if (c.textWidth <= width) // measured narrower: the data changed since the first pass
                    throw ExportError(QStringLiteral("%1: a value of %2 is longer than measured").arg(m_out.path(), c.name), true);
                ++m_truncated;
                rc = readstat_insert_string_value(m_writer, v, utf8Prefix(cell.text, width).constData());
            } else {
                rc = readstat_insert_string_value(m_writer, v, cell.text.constData());
            }
            break;
        }
        case ColumnKind::Code:
        case ColumnKind::Flag:
            rc = sav ? readstat_insert_double_value(m_writer, v, cell.number)
                     : readstat_insert_int32_value(m_writer, v, int32_t(cell.number));
            break;
        case ColumnKind::Number:
            rc = readstat_insert_double_value(m_writer, v, cell.number);
            break;
        case ColumnKind::Date:
            rc = readstat_insert_double_value(m_writer, v, sav ? cell.number * 86400.0 + kSpssEpochOffsetS
                                                               : cell.number + kStataEpochOffsetDays);
            break;
        case ColumnKind::DateTime:
            rc = readstat_insert_double_value(m_writer, v, sav ? cell.number / 1000.0 + kSpssEpochOffsetS
                                                               : cell.number + kStataEpochOffsetMs);
            break;
        case ColumnKind::Time:
            rc = readstat_insert_double_value(m_writer, v, sav ? cell.number : cell.number * 1000.0);
            break;
        }
        if (rc != READSTAT_OK) // the message is built only on failure: this runs per cell
            check(rc, QStringLiteral("row %1, %2").arg(m_rows).arg(c.name));
    }
    if (const readstat_error_t rc = readstat_end_row(m_writer); rc != READSTAT_OK)
        check(rc, QStringLiteral("row %1").arg(m_rows));
}

void ReadStatSink::finish()
{
    if (m_rows != m_declaredRows)
        throw ExportError(QStringLiteral("%1: %2 rows written, %3 counted in the first pass")
                              .arg(m_out.path()).arg(m_rows).arg(m_declaredRows), true);
    check(readstat_end_writing(m_writer), QStringLiteral("finishing the file"));
    m_out.close();
}

} // namespace kerbside
