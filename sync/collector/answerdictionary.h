// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <mutex>

namespace kerbside {

struct Form;

/** The dictionary a response version's answers are packed against (answerpack.h, format 2):
 *  the question names of its form version, sorted (so the order depends on the names alone,
 *  never on how a form is walked), and per question the names of its choices in the order
 *  the form lists them. A published form version never changes, so neither does its
 *  dictionary; the form's JSON in `forms` is all a reader needs to rebuild it. */
class AnswerDictionary
{
public:
    explicit AnswerDictionary(const Form &form);

    int size() const { return int(m_names.size()); }
    int indexOf(const QString &question) const { return m_index.value(question, -1); }
    const QString &name(int question) const { return m_names[question]; }
    // The question's choice names (empty when it has none).
    const QStringList &choices(int question) const { return m_choices[question]; }
    int choiceIndex(int question, QStringView choice) const;

private:
    QStringList m_names;
    QList<QStringList> m_choices;
    QHash<QString, int> m_index;
    QList<QHash<QString, int>> m_choiceIndex;
};

/** The dictionaries of the form versions a store has met, built once each from the form's
 *  stored JSON and kept (they never go stale). Thread-safe: the merge and an export's reader
 *  connection share one. */
class AnswerDictionaries
{
public:
    // The form version's stored JSON, or an empty array when the database holds no such version.
    using Loader = std::function<QByteArray(const QString &formId, const QString &version)>;

    // nullptr when the version is not held or its JSON is not a form this collector reads.
    std::shared_ptr<const AnswerDictionary> find(const QString &formId, const QString &version, const Loader &load);

private:
    std::mutex m_mutex;
    QHash<QString, std::shared_ptr<const AnswerDictionary>> m_dictionaries; // "id\nversion"
};

/** find() for rows read one after another: most rows name the form version of the row before,
 *  so that one is answered without building a key or taking the lock. One per reading loop. */
class AnswerDictionaryCursor
{
public:
    AnswerDictionaryCursor(AnswerDictionaries &dictionaries, AnswerDictionaries::Loader load)
        : m_dictionaries(dictionaries), m_load(std::move(load))
    {
    }
    const AnswerDictionary *find(const QString &formId, const QString &version);

private:
    AnswerDictionaries &m_dictionaries;
    AnswerDictionaries::Loader m_load;
    QString m_formId, m_version;
    std::shared_ptr<const AnswerDictionary> m_last;
    bool m_has = false;
};

} // namespace kerbside
