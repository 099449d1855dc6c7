// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the attachment reader of select_one_from_file (ChoiceFile: CSV and
// ODK's item XML, files that come with a form from anywhere): any input gives a table or an
// error naming a row, never a crash, hang or leak; a table is rectangular and within bounds.
#include "xlsform/choicefile.h"

#include <cstddef>
#include <cstdint>

namespace {

void check(const kerbside::ChoiceFile &f, bool ok)
{
    if (ok != f.error().isEmpty() || (!ok && (!f.rows().isEmpty() || !f.headers().isEmpty())))
        __builtin_trap();
    if (f.headers().size() > kerbside::ChoiceFile::kMaxColumns || f.rows().size() > kerbside::ChoiceFile::kMaxRows)
        __builtin_trap();
    for (const kerbside::ChoiceFile::Row &r : f.rows()) {
        if (r.cells.size() != f.headers().size() || r.row < 2)
            __builtin_trap();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    kerbside::ChoiceFile csv;
    check(csv, csv.readCsv(bytes));
    kerbside::ChoiceFile xml;
    check(xml, xml.readXml(bytes));
    return 0;
}
