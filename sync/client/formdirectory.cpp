// SPDX-License-Identifier: Apache-2.0
#include "formdirectory.h"

#include "form/formloader.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSaveFile>

namespace kerbside {

FormDirectory::FormDirectory(const QString &dir) : m_dir(dir) {}

FormDirectory::~FormDirectory() = default;

QString FormDirectory::fileName(const QString &formId, const QString &version)
{
    return formId + QLatin1Char('@') + version + QStringLiteral(".json");
}

bool FormDirectory::isSafeName(const QString &part)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$"));
    return re.match(part).hasMatch() && !part.contains(QStringLiteral(".."));
}

void FormDirectory::scan()
{
    if (m_scanned)
        return;
    m_scanned = true;
    const QDir dir(m_dir);
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString &file : files) {
        FormLoadResult r = FormLoader::loadFile(dir.filePath(file));
        if (!r.ok())
            continue; // the tablet's catalogue reports these; here they just cannot be used
        m_forms.push_back(std::make_unique<Form>(std::move(*r.form)));
    }
}

const std::vector<std::unique_ptr<Form>> &FormDirectory::forms()
{
    scan();
    return m_forms;
}

const Form *FormDirectory::find(const QString &formId, const QString &version)
{
    scan();
    for (const auto &f : m_forms) {
        if (f->id == formId && f->version == version)
            return f.get();
    }
    return nullptr;
}

QString FormDirectory::save(const QString &formId, const QString &version, const QByteArray &json,
                            const QByteArray &sha256)
{
    if (!isSafeName(formId) || !isSafeName(version))
        return QStringLiteral("form id \"%1\" or version \"%2\" is not usable as a file name")
            .arg(formId, version);
    if (!sha256.isEmpty() && QCryptographicHash::hash(json, QCryptographicHash::Sha256) != sha256)
        return QStringLiteral("form %1 version %2 arrived damaged (checksum mismatch)").arg(formId, version);
    const QString name = fileName(formId, version);
    FormLoadResult loaded = FormLoader::loadJson(json, name);
    if (!loaded.ok()) {
        QStringList problems;
        for (const FormProblem &p : std::as_const(loaded.problems))
            problems << p.toString();
        return QStringLiteral("form %1 version %2 has problems: %3")
            .arg(formId, version, problems.mid(0, 3).join(QStringLiteral("; ")));
    }
    if (loaded.form->id != formId || loaded.form->version != version)
        return QStringLiteral("form %1 version %2 contains form %3 version %4")
            .arg(formId, version, loaded.form->id, loaded.form->version);
    if (has(formId, version))
        return {}; // held already: a published version never changes, and ours is never replaced
    const QString path = QDir(m_dir).filePath(name);
    if (QFile::exists(path))
        return QStringLiteral("%1 exists but does not hold a usable form; left as it is").arg(path);
    if (!QDir().mkpath(m_dir))
        return QStringLiteral("cannot create the forms folder %1").arg(m_dir);
    QSaveFile file(path); // atomic: a crash leaves the old folder, never half a form
    if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size() || !file.commit())
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    m_forms.push_back(std::make_unique<Form>(std::move(*loaded.form)));
    return {};
}

} // namespace kerbside
