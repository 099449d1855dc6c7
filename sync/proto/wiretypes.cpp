// SPDX-License-Identifier: Apache-2.0
#include "wiretypes.h"

namespace kerbside {

QString answerTypeName(AnswerType type)
{
    switch (type) {
    case AnswerType::Text: return QStringLiteral("text");
    case AnswerType::Choice: return QStringLiteral("choice");
    case AnswerType::Integer: return QStringLiteral("integer");
    case AnswerType::Decimal: return QStringLiteral("decimal");
    case AnswerType::Choices: return QStringLiteral("choices");
    case AnswerType::Date: return QStringLiteral("date");
    case AnswerType::Time: return QStringLiteral("time");
    case AnswerType::DateTime: return QStringLiteral("datetime");
    case AnswerType::Geopoint: return QStringLiteral("geopoint");
    }
    return {};
}

bool answerTypeFromInt(int value, AnswerType *type)
{
    if (value < int(AnswerType::Text) || value > int(AnswerType::Geopoint))
        return false;
    if (type)
        *type = AnswerType(value);
    return true;
}

QSet<QString> IncomingBatch::caseStudies() const
{
    QSet<QString> out;
    for (const IncomingResponse &r : responses)
        out.insert(r.meta.caseStudy);
    for (const IncomingContact &c : contacts)
        out.insert(c.entry.caseStudy);
    return out;
}

} // namespace kerbside
