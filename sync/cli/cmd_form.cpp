// SPDX-License-Identifier: Apache-2.0
// `kerbside form <sub-command>`: work with form definitions (forms/README.md).
#include "command.h"

#include "form/formloader.h"

#include <QFileInfo>

#include <array>

namespace {

using namespace kerbside;
using kerbside::cli::err;
using kerbside::cli::out;

// The one place that picks a reader by file extension; a new format (.xlsx) is one branch here.
FormLoadResult loadFormFile(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("json"))
        return FormLoader::loadFile(path);
    FormLoadResult result;
    FormProblem p;
    p.file = path;
    p.message = suffix.isEmpty()
                    ? QStringLiteral("no file extension; expected a .json form")
                    : QStringLiteral("unsupported file type '.%1'; expected a .json form").arg(suffix);
    result.problems.append(p);
    return result;
}

int check(const QStringList &args)
{
    if (args.isEmpty()) {
        err(QStringLiteral("usage: kerbside form check FILE..."));
        return 2;
    }
    for (const QString &a : args) {
        if (a.startsWith(QLatin1Char('-')) && a != QLatin1String("-")) {
            err(QStringLiteral("kerbside form check: unknown option '%1'").arg(a));
            err(QStringLiteral("usage: kerbside form check FILE..."));
            return 2;
        }
    }
    bool allClean = true;
    for (const QString &path : args) {
        const FormLoadResult result = loadFormFile(path);
        if (result.ok()) {
            out(QStringLiteral("%1: ok (%2 questions, languages %3)")
                    .arg(path)
                    .arg(result.form->questions.size())
                    .arg(result.form->languages.join(QStringLiteral(", "))));
            continue;
        }
        allClean = false;
        for (const FormProblem &p : result.problems)
            out(p.toString());
    }
    return allClean ? 0 : 1;
}

struct SubCommand
{
    const char *name;
    const char *usage; // shown by `kerbside form` without arguments
    int (*run)(const QStringList &args);
};

// Add `import` here (and its reader to loadFormFile) to extend the command.
constexpr std::array<SubCommand, 1> kSubCommands{{
    {"check", "check FILE...   validate forms; prints every problem with file, line and path",
     &check},
}};

int usage()
{
    err(QStringLiteral("usage: kerbside form <sub-command> [args...]"));
    for (const SubCommand &s : kSubCommands)
        err(QStringLiteral("  kerbside form %1").arg(QLatin1String(s.usage)));
    return 2;
}

int run(const QStringList &args)
{
    if (args.isEmpty())
        return usage();
    for (const SubCommand &s : kSubCommands) {
        if (args.first() == QLatin1String(s.name))
            return s.run(args.mid(1));
    }
    err(QStringLiteral("kerbside form: unknown sub-command '%1'").arg(args.first()));
    return usage();
}

const kerbside::cli::CommandRegistration reg{
    {QStringLiteral("form"), QStringLiteral("check form definitions"), &run}};

} // namespace
