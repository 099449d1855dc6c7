// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the .xlsx reader and the XLSForm converter (`kerbside form import`):
// any bytes give sheets and a form or problems, within the reader's size limits, never a
// crash, hang or leak.
#include "xlsform/xlsformimporter.h"
#include "xlsform/xlsxreader.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    kerbside::XlsxReader reader;
    // Smaller limits than a real import, so that each run stays fast; the checks are the same.
    kerbside::XlsxReader::Limits limits;
    limits.partBytes = 4 * 1024 * 1024;
    limits.totalBytes = 8 * 1024 * 1024;
    reader.setLimits(limits);
    if (!reader.openData(bytes, QStringLiteral("fuzz.xlsx"))) {
        if (reader.error().isEmpty())
            __builtin_trap();
        return 0;
    }
    QList<kerbside::XlsxSheet> sheets;
    for (const QString &name : reader.sheetNames()) {
        kerbside::XlsxSheet sheet;
        if (reader.readSheet(name, &sheet))
            sheets.append(sheet);
    }
    (void)kerbside::XlsFormImporter::importSheets(sheets, QStringLiteral("fuzz"));
    return 0;
}
