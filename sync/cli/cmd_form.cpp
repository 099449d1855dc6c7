// SPDX-License-Identifier: Apache-2.0
// `kerbside form <sub-command>`: work with form definitions (forms/README.md).
#include "command.h"

#include "form/formattachments.h"
#include "form/formloader.h"
#include "xlsform/xlsformimporter.h"

#include <QFile>
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
    if (suffix == QLatin1String("xlsx"))
        return XlsFormImporter::loadFile(path);
    FormLoadResult result;
    FormProblem p;
    p.file = path;
    p.message = suffix.isEmpty()
                    ? QStringLiteral("no file extension; expected a .json form")
                    : QStringLiteral("unsupported file type '.%1'; expected a .json form").arg(suffix);
    result.problems.append(p);
    return result;
}

// A form that loads may still be unpublishable: an attachment missing at import.
QString publishRefusalOfFile(const QString &path)
{
    if (QFileInfo(path).suffix().compare(QLatin1String("xlsx"), Qt::CaseInsensitive) == 0)
        return publishRefusal(XlsFormImporter::importFile(path).form);
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? publishRefusal(file.readAll()) : QString();
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
        // Loading accepts the ids of forms published long ago; a form checked now must have
        // an id `kerbside publish` takes.
        if (result.ok() && !isValidFormId(result.form->id)) {
            allClean = false;
            out(QStringLiteral("%1: $.id: %2").arg(path, formIdProblem(result.form->id)));
            continue;
        }
        if (const QString refusal = result.ok() ? publishRefusalOfFile(path) : QString(); !refusal.isEmpty()) {
            allClean = false;
            out(QStringLiteral("%1: $.missing_attachments: %2").arg(path, refusal));
            continue;
        }
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

// kerbside form import survey.xlsx [-o form.json] [--attachment FILE]...: converts an XLSForm;
// writes nothing on any problem. Attachments (select_one_from_file's CSV/XML) are also found
// beside the workbook and in its NAME-media folder.
int importForm(const QStringList &args)
{
    const QString usageLine
        = QStringLiteral("usage: kerbside form import SURVEY.xlsx [-o FORM.json] [--attachment FILE.csv]...");
    QString input;
    QString output;
    QStringList attachments;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        if (a == QLatin1String("-o") || a == QLatin1String("--output") || a == QLatin1String("--attachment")) {
            if (i + 1 >= args.size()) {
                err(usageLine);
                return 2;
            }
            if (a == QLatin1String("--attachment"))
                attachments << args[++i];
            else
                output = args[++i];
        } else if (a.startsWith(QLatin1Char('-')) || !input.isEmpty()) {
            err(QStringLiteral("kerbside form import: unexpected argument '%1'").arg(a));
            err(usageLine);
            return 2;
        } else {
            input = a;
        }
    }
    if (input.isEmpty()) {
        err(usageLine);
        return 2;
    }
    if (output.isEmpty())
        output = XlsFormImporter::defaultOutputPath(input);
    // Never write the form over the workbook it came from.
    if (QFileInfo(output).suffix().compare(QLatin1String("xlsx"), Qt::CaseInsensitive) == 0
        || QFileInfo(output).absoluteFilePath() == QFileInfo(input).absoluteFilePath()) {
        err(QStringLiteral("kerbside form import: the output %1 must be a .json file, not the workbook").arg(output));
        return 2;
    }
    for (const QString &file : std::as_const(attachments)) {
        if (!QFileInfo(file).isFile()) {
            err(QStringLiteral("kerbside form import: the attachment %1 is not a file").arg(file));
            return 2;
        }
    }
    const XlsFormImportResult result = XlsFormImporter::importFile(input, attachments);
    for (const XlsFormProblem &w : result.warnings)
        out(QStringLiteral("%1: warning: %2").arg(input, w.toString()));
    if (!result.ok()) {
        for (const XlsFormProblem &p : result.problems)
            out(QStringLiteral("%1: %2").arg(input, p.toString()));
        err(QStringLiteral("%1: not imported: %2 problem(s); %3 was not written")
                .arg(input)
                .arg(result.problems.size())
                .arg(output));
        return 1;
    }
    QString error;
    if (!XlsFormImporter::writeForm(result.form, output, &error)) {
        err(QStringLiteral("kerbside form import: %1").arg(error));
        return 1;
    }
    const FormLoadResult loaded = FormLoader::loadObject(result.form, output);
    out(QStringLiteral("%1: imported to %2 (%3 questions, languages %4)")
            .arg(input, output)
            .arg(loaded.ok() ? loaded.form->questions.size() : 0)
            .arg(loaded.ok() ? loaded.form->languages.join(QStringLiteral(", ")) : QString()));
    if (const QString refusal = publishRefusal(result.form); !refusal.isEmpty())
        out(QStringLiteral("%1: not publishable yet: %2").arg(output, refusal));
    return 0;
}

struct SubCommand
{
    const char *name;
    const char *usage; // shown by `kerbside form` without arguments
    int (*run)(const QStringList &args);
};

// Add `import` here (and its reader to loadFormFile) to extend the command.
constexpr std::array<SubCommand, 2> kSubCommands{{
    {"check", "check FILE...   validate forms; prints every problem with file, line and path",
     &check},
    {"import", "import SURVEY.xlsx [-o FORM.json] [--attachment FILE.csv]...   convert an XLSForm workbook to a form",
     &importForm},
}};

QString usageText();

int usage()
{
    err(usageText());
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

QString usageText()
{
    QStringList lines{QStringLiteral("usage: kerbside form <sub-command> [args...]")};
    for (const SubCommand &s : kSubCommands)
        lines.append(QStringLiteral("  kerbside form %1").arg(QLatin1String(s.usage)));
    return lines.join(QLatin1Char('\n'));
}

const kerbside::cli::CommandRegistration reg{
    {QStringLiteral("form"), QStringLiteral("check form definitions"), &run, usageText()}};

} // namespace
