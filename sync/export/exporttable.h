// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <cmath>

namespace kerbside {

/** How a column is typed in the statistical formats. CSV and JSON Lines write the text. */
enum class ColumnKind {
    Text,     // string; width measured in a first pass for .sav/.dta
    Number,   // double; the text keeps the value exactly as stored
    Code,     // a choice: text is the choice name, number its code (the integer name, or 1..n)
    Flag,     // 0/1 (one per choice of a select_multiple)
    Date,     // number = days since 1970-01-01
    DateTime, // number = ms since the epoch, UTC
    Time,     // number = seconds since midnight
};

struct ValueLabel
{
    int code = 0;
    QString value; // the stored choice name
    QString label; // in the export's language
    QHash<QString, QString> labels; // every language the form has: code -> label
    char missingTag = 0; // 'd', 'e', ...: a choice declared "missing" (Stata's extended missing value)
};

/** One exported variable, with what the codebook says about it. */
struct ExportColumn
{
    QString name;      // as in the form (CSV header, JSON key)
    QString spssName;  // valid and unique for SPSS (<= 64 bytes)
    QString stataName; // valid and unique for Stata (<= 32 characters)
    QString label;     // variable label (question text, in the export's language)
    QHash<QString, QString> labels; // the variable label in every language the form has
    ColumnKind kind = ColumnKind::Text;
    QList<ValueLabel> valueLabels; // Code columns
    QHash<QString, int> codes;     // choice name -> code, for Code columns
    QList<int> missingCodes;       // codes of choices declared missing (in list order)
    int decimals = 0;              // display decimals for Number columns
    int textWidth = 0;             // Text columns: longest value in bytes (0 = not measured)
    bool localClock = false;       // DateTime columns: the tablet's clock time, not UTC

    // Codebook only.
    QString codeRule;     // Code columns of a choice list: how the codes were given
    QString question;     // source question ("" for metadata)
    QString questionType; // "select_one", ... or "metadata"
    QString relevance;    // the relevant rule, group rules included ("" = always)
    bool sensitive = false;
    QString note;

    bool isNumeric() const { return kind != ColumnKind::Text; }
};

/** One cell: a value, or why there is none (the statistical formats keep the reason). */
struct ExportCell
{
    // MissingChoice: a choice declared missing was chosen (text its name, number its code).
    enum class State : quint8 { Empty, Value, NotRelevant, NotAnswered, Refused, MissingChoice };
    State state = State::Empty;
    double number = std::nan("");
    QByteArray text; // UTF-8

    bool hasValue() const { return state == State::Value; }
    void clear()
    {
        state = State::Empty;
        number = std::nan("");
        empty();
    }
    void set(const QByteArray &t, double n = std::nan(""))
    {
        state = State::Value;
        text = t;
        number = n;
    }
    // Converts into the cell's own buffer: a row is refilled millions of times, and a new
    // QByteArray per cell and row was a fifth of an export's time. ASCII is copied directly.
    void set(QStringView t, double n = std::nan(""))
    {
        state = State::Value;
        number = n;
        if (!text.isDetached())
            text = QByteArray();
        text.resize(t.size());
        char *out = text.data();
        for (qsizetype i = 0; i < t.size(); ++i) {
            const char16_t c = t[i].unicode();
            if (c >= 0x80) {
                text = t.toUtf8();
                return;
            }
            out[i] = char(c);
        }
    }
    void missingChoice(const QString &name, double code)
    {
        set(name, code);
        state = State::MissingChoice;
    }
    void missing(State s)
    {
        state = s;
        number = std::nan("");
        empty();
    }

private:
    void empty()
    {
        if (text.isDetached())
            text.resize(0); // keeps the buffer for the next row
        else
            text = QByteArray();
    }

public:
};

using ExportRow = QList<ExportCell>;

/** A table to write: a file stem and its columns. */
struct ExportTable
{
    QString stem;  // file name without extension, e.g. "community-contracts-voxpop"
    QString title; // file label in .sav/.dta
    QList<ExportColumn> columns;
    QStringList languages; // of the form, the export's language first ("" for other tables)
    QHash<QString, QString> titles; // language -> title
    QStringList notes; // dataset notes (Stata): full questions of select_multiple dummies
    bool hasMissingChoices() const
    {
        for (const ExportColumn &c : columns) {
            if (!c.missingCodes.isEmpty())
                return true;
        }
        return false;
    }
};

/** Missing-value codes of the statistical formats (declared user-missing in SPSS; Stata uses
 *  the extended missing values .a/.b/.c instead). */
namespace missingcode {
inline constexpr int kNotRelevant = -97;
inline constexpr int kNotAnswered = -98;
inline constexpr int kRefused = -99;

struct Reason
{
    int code;
    char tag; // Stata's extended missing value
    const char *label;
};
inline constexpr Reason kReasons[] = {
    {kNotRelevant, 'a', "Not relevant (skipped by the form's rules)"},
    {kNotAnswered, 'b', "Not answered"},
    {kRefused, 'c', "Refused interview"},
};
} // namespace missingcode

} // namespace kerbside
