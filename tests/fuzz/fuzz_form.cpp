// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the form loader (kerbside-form/1 JSON from `publish`, a USB stick or a
// download): any input gives a form or a list of problems, never a crash, hang or leak. A form
// that loads must also start an interview (which orders its expressions).
#include "form/formloader.h"
#include "form/repeatpath.h"
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
        // Repeats: the input's text read as an answer key (what the collector checks and the
        // interview loads), then an instance added and removed on every "add another" page.
        const QString key = QString::fromUtf8(json.left(300));
        (void)kerbside::repeatpath::parseKey(*r.form, key);
        interview.load({{key, QStringLiteral("2")}});
        for (int p = 0; p < interview.pageCount() && p < 50; ++p) {
            if (interview.page(p).kind == kerbside::Page::Kind::RepeatEnd) {
                const int added = interview.addInstance(p);
                if (added >= 0 && interview.canRemoveInstance(added))
                    interview.removeInstance(added);
            }
        }
    }
    return 0;
}
