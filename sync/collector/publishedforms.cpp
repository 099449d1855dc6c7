// SPDX-License-Identifier: Apache-2.0
#include "publishedforms.h"

#include "collectortypes.h"

#include "form/formloader.h"

namespace kerbside {

std::shared_ptr<const Form> PublishedForms::find(const QString &formId, const QString &version,
                                                 const QString &caseStudy)
{
    const QString key = formId + QLatin1Char('\n') + version;
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_forms.constFind(key);
        if (it != m_forms.constEnd() && it->caseStudies.contains(caseStudy))
            return it->form;
    }
    // A miss: read what is published to that case study now (outside the lock: a database
    // read), and remember every version of it.
    const QList<PublishedFormRecord> records = m_loader(caseStudy);
    std::shared_ptr<const Form> found;
    std::lock_guard lock(m_mutex);
    for (const PublishedFormRecord &p : records) {
        const QString k = p.formId + QLatin1Char('\n') + p.version;
        Entry &e = m_forms[k];
        if (!e.form) {
            const FormLoadResult loaded = FormLoader::loadJson(p.json, QStringLiteral("%1 version %2").arg(p.formId, p.version));
            if (!loaded.ok()) {
                m_forms.remove(k); // published before the current rules; its responses are refused
                continue;
            }
            e.form = std::make_shared<const Form>(*loaded.form);
        }
        e.caseStudies.insert(caseStudy);
        if (k == key)
            found = e.form;
    }
    return found;
}

} // namespace kerbside
