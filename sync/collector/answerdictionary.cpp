// SPDX-License-Identifier: Apache-2.0
#include "answerdictionary.h"

#include "form/form.h"
#include "form/formloader.h"

#include <algorithm>

namespace kerbside {

AnswerDictionary::AnswerDictionary(const Form &form)
{
    m_names.reserve(form.questions.size());
    for (const Question &q : form.questions)
        m_names.append(q.name);
    std::sort(m_names.begin(), m_names.end());
    m_names.erase(std::unique(m_names.begin(), m_names.end()), m_names.end());
    m_choices.resize(m_names.size());
    m_choiceIndex.resize(m_names.size());
    for (int i = 0; i < int(m_names.size()); ++i) {
        m_index.insert(m_names[i], i);
        const Question *q = form.question(m_names[i]);
        if (const ChoiceList *list = q ? form.choicesFor(*q) : nullptr) {
            for (const Choice &c : list->choices) {
                if (m_choiceIndex[i].contains(c.name))
                    continue; // a repeated name decodes to its first place
                m_choiceIndex[i].insert(c.name, int(m_choices[i].size()));
                m_choices[i].append(c.name);
            }
        }
    }
}

int AnswerDictionary::choiceIndex(int question, QStringView choice) const
{
    const QStringList &list = m_choices[question];
    if (list.size() <= 8) { // a walk over a short list is faster than hashing
        for (qsizetype i = 0; i < list.size(); ++i)
            if (list[i] == choice)
                return int(i);
        return -1;
    }
    return m_choiceIndex[question].value(choice.toString(), -1);
}

std::shared_ptr<const AnswerDictionary> AnswerDictionaries::find(const QString &formId, const QString &version,
                                                                  const Loader &load)
{
    const QString key = formId + QLatin1Char('\n') + version;
    {
        std::lock_guard lock(m_mutex);
        if (const auto it = m_dictionaries.constFind(key); it != m_dictionaries.constEnd())
            return *it;
    }
    const QByteArray json = load(formId, version); // outside the lock: a database read
    if (json.isEmpty())
        return nullptr;
    const FormLoadResult loaded = FormLoader::loadJson(json, QStringLiteral("%1 version %2").arg(formId, version));
    if (!loaded.ok())
        return nullptr;
    auto built = std::make_shared<const AnswerDictionary>(*loaded.form);
    std::lock_guard lock(m_mutex);
    return *m_dictionaries.insert(key, std::move(built));
}

const AnswerDictionary *AnswerDictionaryCursor::find(const QString &formId, const QString &version)
{
    if (!m_has || formId != m_formId || version != m_version) {
        m_last = m_dictionaries.find(formId, version, m_load);
        m_formId = formId;
        m_version = version;
        m_has = true;
    }
    return m_last.get();
}

} // namespace kerbside
