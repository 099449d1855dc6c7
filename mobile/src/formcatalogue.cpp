// SPDX-License-Identifier: Apache-2.0
#include "formcatalogue.h"

#include "form/formloader.h"

#include <QDir>
#include <QHash>
#include <QRegularExpression>

#include <algorithm>

namespace kerbside {

namespace {

// Versions are compared as runs of digits by value, the rest as text ("2026112401" < "2026112402",
// "1.10" > "1.9"); publish tools use date-stamped numbers, so this is only a safety net.
bool versionLess(const QString &a, const QString &b)
{
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i].isDigit() && b[j].isDigit()) {
            qsizetype ei = i;
            qsizetype ej = j;
            while (ei < a.size() && a[ei].isDigit())
                ++ei;
            while (ej < b.size() && b[ej].isDigit())
                ++ej;
            const QString na = a.mid(i, ei - i).remove(QRegularExpression(QStringLiteral("^0+")));
            const QString nb = b.mid(j, ej - j).remove(QRegularExpression(QStringLiteral("^0+")));
            if (na.size() != nb.size())
                return na.size() < nb.size();
            if (na != nb)
                return na < nb;
            i = ei;
            j = ej;
            continue;
        }
        if (a[i] != b[j])
            return a[i] < b[j];
        ++i;
        ++j;
    }
    return a.size() - i < b.size() - j;
}

} // namespace

FormCatalogue::FormCatalogue(const QString &folder, const QString &downloadFolder, QObject *parent)
    : QAbstractListModel(parent), m_folder(folder), m_downloadFolder(downloadFolder)
{
    loadFolder(m_folder);
    if (!m_downloadFolder.isEmpty())
        loadFolder(m_downloadFolder);
    rebuildLatest();
}

FormCatalogue::~FormCatalogue() = default;

void FormCatalogue::reload()
{
    beginResetModel();
    loadFolder(m_folder);
    if (!m_downloadFolder.isEmpty())
        loadFolder(m_downloadFolder);
    rebuildLatest();
    endResetModel();
    emit countChanged(); // also when only versions or problems changed
}

void FormCatalogue::loadFolder(const QString &folder)
{
    const QDir dir(folder);
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString &file : files) {
        const QString path = dir.absoluteFilePath(file);
        if (m_loadedFiles.contains(path))
            continue;
        m_loadedFiles.insert(path);
        FormLoadResult r = FormLoader::loadFile(path);
        if (!r.ok()) {
            for (const FormProblem &p : std::as_const(r.problems))
                m_problems << p.toString();
            continue;
        }
        if (form(r.form->id, r.form->version)) {
            // A published version never changes, so the same id and version from the download
            // folder is the hand-installed form again: quietly keep the first.
            if (folder == m_folder)
                m_problems << QStringLiteral("%1: form %2 version %3 is already used by another file; skipped")
                                  .arg(file, r.form->id, r.form->version);
            continue;
        }
        m_all.push_back(std::make_unique<Form>(std::move(*r.form)));
    }
}

void FormCatalogue::rebuildLatest()
{
    QHash<QString, const Form *> newest;
    for (const auto &f : m_all) {
        const Form *&slot = newest[f->id];
        if (!slot || versionLess(slot->version, f->version))
            slot = f.get();
    }
    m_forms.assign(newest.cbegin(), newest.cend());
    std::sort(m_forms.begin(), m_forms.end(), [](const Form *a, const Form *b) { return a->id < b->id; });
}

int FormCatalogue::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant FormCatalogue::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Form &f = *m_forms[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole:
        return f.title.text(f.defaultLanguage);
    case FormIdRole:
        return f.id;
    case TitlesRole: {
        QVariantMap m;
        for (auto it = f.title.texts.cbegin(); it != f.title.texts.cend(); ++it)
            m.insert(it.key(), it.value());
        return m;
    }
    case VersionRole:
        return f.version;
    case LanguagesRole:
        return f.languages;
    }
    return {};
}

QHash<int, QByteArray> FormCatalogue::roleNames() const
{
    return {{FormIdRole, "formId"},
            {TitleRole, "title"},
            {TitlesRole, "titles"},
            {VersionRole, "version"},
            {LanguagesRole, "languages"}};
}

const Form *FormCatalogue::form(const QString &id) const
{
    for (const Form *f : m_forms) {
        if (f->id == id)
            return f;
    }
    return nullptr;
}

const Form *FormCatalogue::form(const QString &id, const QString &version) const
{
    for (const auto &f : m_all) {
        if (f->id == id && f->version == version)
            return f.get();
    }
    return nullptr;
}

QString FormCatalogue::title(const QString &formId, const QString &language) const
{
    const Form *f = form(formId);
    return f ? f->title.text(language, f->defaultLanguage) : formId;
}

QString FormCatalogue::formIdAt(int row) const
{
    return row >= 0 && row < count() ? m_forms[size_t(row)]->id : QString();
}

} // namespace kerbside
