// SPDX-License-Identifier: Apache-2.0
// The form the sync samples (syncsamples.h) answer, as the collector publishes it: the
// collector refuses responses to a form version that is not published to their case study.
#pragma once

#include "collectorstore.h"
#include "form/formloader.h"
#include "testpaths.h"

#include <QCryptographicHash>
#include <QFile>

#include <stdexcept>

namespace kerbside::test {

inline QString voxpopFormPath()
{
    return sourcePath(QStringLiteral("tests/data/forms/voxpop-council.json"));
}

// The form itself, loaded (throws when it does not load).
inline Form voxpopCouncilForm()
{
    QFile f(voxpopFormPath());
    if (!f.open(QIODevice::ReadOnly))
        throw std::runtime_error("cannot read tests/data/forms/voxpop-council.json");
    FormLoadResult loaded = FormLoader::loadJson(f.readAll());
    if (!loaded.ok())
        throw std::runtime_error("tests/data/forms/voxpop-council.json does not load");
    return *loaded.form;
}

inline void publishVoxpop(CollectorStore &store, const QStringList &caseStudies)
{
    QFile f(voxpopFormPath());
    if (!f.open(QIODevice::ReadOnly))
        throw std::runtime_error("cannot read tests/data/forms/voxpop-council.json");
    PublishedFormRecord form;
    form.formId = QStringLiteral("voxpop_council");
    form.version = QStringLiteral("2026112401");
    form.title = QStringLiteral("Council vox pop (sync tests)");
    form.json = f.readAll();
    store.publishForm(form, caseStudies);
}

} // namespace kerbside::test
