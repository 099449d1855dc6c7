// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "exporttable.h"

namespace kerbside {

/** Writes one table in one file format, row by row (never holding the rows). */
class TableSink
{
public:
    virtual ~TableSink() = default;
    // rowCount: the number of rows that will follow (-1 when unknown; .sav/.dta need it).
    virtual void begin(const ExportTable &table, qint64 rowCount) = 0;
    virtual void row(const ExportRow &row) = 0;
    // Completes and closes the file. Throws ExportError.
    virtual void finish() = 0;
    virtual QString path() const = 0;
    virtual QByteArray sha256Hex() const = 0;
};

} // namespace kerbside
