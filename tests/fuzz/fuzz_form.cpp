// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the form loader (kerbside-form/1 JSON from `publish`, a USB stick or a
// download): any input gives a form or a list of problems, never a crash, hang or leak. A form
// that loads must also start an interview (which orders its expressions).
#include "form/formloader.h"
#include "interview/interview.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    const kerbside::FormLoadResult r = kerbside::FormLoader::loadJson(json, QStringLiteral("fuzz.json"));
    if (r.ok() != r.problems.isEmpty())
        __builtin_trap();
    if (r.ok()) {
        kerbside::Interview interview(*r.form);
        interview.applyDefaults();
        for (const kerbside::Question &q : r.form->questions)
            interview.setAnswer(q.name, QStringLiteral("1"));
    }
    return 0;
}
