// SPDX-License-Identifier: Apache-2.0
#include "formcatalogue.h"

#include "form/formloader.h"

#include <QDir>

#include <algorithm>

namespace kerbside {

FormCatalogue::FormCatalogue(const QString &folder, QObject *parent)
    : QAbstractListModel(parent), m_folder(folder)
{
    load();
}

FormCatalogue::~FormCatalogue() = default;

void FormCatalogue::load()
{
    const QDir dir(m_folder);
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString &file : files) {
        FormLoadResult r = FormLoader::loadFile(dir.filePath(file));
        if (!r.ok()) {
            for (const FormProblem &p : std::as_const(r.problems))
                m_problems << p.toString();
            continue;
        }
        if (form(r.form->id)) {
            m_problems << QStringLiteral("%1: form id %2 is already used by another file; skipped")
                              .arg(file, r.form->id);
            continue;
        }
        m_forms.push_back(std::make_unique<Form>(std::move(*r.form)));
    }
    std::sort(m_forms.begin(), m_forms.end(),
              [](const auto &a, const auto &b) { return a->id < b->id; });
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
    for (const auto &f : m_forms) {
        if (f->id == id)
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
