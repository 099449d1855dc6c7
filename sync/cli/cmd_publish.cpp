// SPDX-License-Identifier: Apache-2.0
// `kerbside publish`: makes a form version available to the devices of case studies.
#include "collectorcli.h"

#include "form/formattachments.h"
#include "form/formloader.h"

#include <QFile>

namespace {

using namespace kerbside;
using namespace kerbside::cli;

const QString kUsage = QStringLiteral(
    "usage: kerbside publish FORM.json --case-study ID [--case-study ID...] --db PATH\n"
    "The form is checked first; a version once published never changes (publish a new version).");

int run(const QStringList &argv)
{
    CollectorArgs args;
    if (!parseCollectorArgs(argv, {QStringLiteral("db"), QStringLiteral("case-study")}, {}, kUsage, &args))
        return kExitUsage;
    const QStringList caseStudies = args.values(QStringLiteral("case-study"));
    if (args.positional.size() != 1 || caseStudies.isEmpty()) {
        err(kUsage);
        return kExitUsage;
    }
    const QString path = args.positional.first();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        err(QStringLiteral("kerbside publish: %1: %2").arg(path, file.errorString()));
        return kExitRefused;
    }
    const QByteArray json = file.readAll();
    const FormLoadResult loaded = FormLoader::loadJson(json, path);
    if (!loaded.ok()) {
        for (const FormProblem &p : loaded.problems)
            err(p.toString());
        err(QStringLiteral("kerbside publish: %1 has %2 problem(s); nothing published").arg(path).arg(loaded.problems.size()));
        return kExitRefused;
    }
    if (const QString refusal = publishRefusal(json); !refusal.isEmpty()) {
        err(QStringLiteral("kerbside publish: %1: %2; nothing published").arg(path, refusal));
        return kExitRefused;
    }
    std::unique_ptr<CollectorStore> store = openCollectorDb(args, kUsage);
    if (!store)
        return kExitDatabase;
    PublishedFormRecord form;
    form.formId = loaded.form->id;
    form.version = loaded.form->version;
    form.title = loaded.form->title.text(loaded.form->defaultLanguage);
    form.json = json;
    try {
        store->publishForm(form, caseStudies);
    } catch (const CollectorError &e) {
        err(QStringLiteral("kerbside publish: %1").arg(e.message()));
        return e.code() == CollectorError::Code::Io ? kExitDatabase : kExitRefused;
    }
    out(QStringLiteral("published %1 version %2 to %3").arg(form.formId, form.version, caseStudies.join(QStringLiteral(", "))));
    return kExitOk;
}

const kerbside::cli::CommandRegistration reg{
    {QStringLiteral("publish"), QStringLiteral("publish a form version to case studies"), &run, kUsage}};

} // namespace
