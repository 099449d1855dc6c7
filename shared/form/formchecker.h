// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "form.h"
#include "formissue.h"

namespace kerbside {

/** The checks across a whole form once FormReader has read every entry: unique names,
 *  references to existing fields, choice lists that exist, no calculation cycles. Also adds
 *  the built-in consent choices where a consent question names no list. */
class FormChecker
{
public:
    FormChecker(Form &form, QList<FormIssue> &issues) : m_form(form), m_issues(issues) {}
    void check();

    // Yes/no choices labelled in every one of `languages` (English where we have no translation).
    static ChoiceList consentChoices(const QStringList &languages);

private:
    void checkNames();
    void checkReferences(const Expression &e, const QString &path);
    void checkChoiceLists();
    void checkCycles();
    void problem(const QString &path, const QString &message, const QString &related = {});

    Form &m_form;
    QList<FormIssue> &m_issues;
};

} // namespace kerbside
