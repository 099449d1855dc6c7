// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "wiretypes.h"

#include "form/form.h"

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace kerbside {

/** A published form version made ready for checking responses against it: per question name,
 *  the question and the names of its choices, built once per version (PublishedForms keeps it
 *  beside the form), so that each answer costs one lookup instead of a question lookup, a
 *  choice-list lookup and a walk over the list's full choices. */
class ResponseRules
{
public:
    explicit ResponseRules(std::shared_ptr<const Form> form);

    /** Checks a decoded response against the form version it names, as published: every
     *  answer names a question of that version, has a type that question takes, and a value it
     *  allows (a listed choice, a number, a date, a geopoint in range). Structure and ranges
     *  that need no form (times, NaN, sizes) are BatchCodec::decode's. Returns "" when the
     *  response is acceptable, else the reason naming the response and the field (never the
     *  value). */
    QString check(const IncomingResponse &response) const;

    const Form &form() const { return *m_form; }

    struct Rule
    {
        const Question *question = nullptr;
        // The choice names of the question's list; nullopt when the form holds no such list
        // (checked when the form was published: any value passes). Long lists also as a set.
        std::optional<QStringList> choices;
        QSet<QString> choiceSet;
        bool isChoice(QStringView value) const;
    };
    // check() remembering per answer's name the rule it found: the decoder shares one QString
    // per name of a batch's string table, so within a batch a name seen before is found by its
    // data pointer (and size) instead of by hashing its text, which natively was most of the
    // check's time. Valid while the checked responses live: one cache per batch.
    using NameCache = QHash<const QChar *, const Rule *>;
    QString check(const IncomingResponse &response, NameCache *cache) const;

private:
    std::shared_ptr<const Form> m_form;
    QHash<QString, Rule> m_rules;
};

} // namespace kerbside
