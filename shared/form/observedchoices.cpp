// SPDX-License-Identifier: Apache-2.0
#include "observedchoices.h"

namespace kerbside {

QList<Choice> observedChoices(const Form &form, const QString &question)
{
    QList<Choice> out;
    const Question *q = form.question(question);
    if (!q || q->type != QuestionType::SelectOne)
        return out;
    if (const ChoiceList *list = form.choicesFor(*q)) {
        for (const Choice &c : list->choices) {
            if (!c.missing)
                out.append(c);
        }
    }
    return out;
}

} // namespace kerbside
