// SPDX-License-Identifier: Apache-2.0
#include "publishedforms.h"

#include "collectortypes.h"

#include "form/formloader.h"

namespace kerbside {

std::shared_ptr<const ResponseRules> PublishedForms::find(const QString &formId, const QString &version,
                                                 const QString &caseStudy)
{
    const QString key = formId + QLatin1Char('\n') + version;
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_forms.constFind(key);
        if (it != m_forms.constEnd() && it->caseStudies.contains(caseStudy))
            return it->form;
    }
    // A miss: read that one version, if it is published to that case study now (outside the
    // lock: a database read). Callers remember misses per batch (CollectorStore::checkItems).
    ++m_loads;
    const std::optional<PublishedFormRecord> record = m_loader(formId, version, caseStudy);
    if (!record)
        return nullptr;
    std::shared_ptr<const ResponseRules> found;
    std::lock_guard lock(m_mutex);
    Entry &e = m_forms[key];
    if (!e.form) {
        const FormLoadResult loaded = FormLoader::loadJson(record->json, QStringLiteral("%1 version %2").arg(formId, version));
        if (!loaded.ok()) {
            m_forms.remove(key); // stored, but not a form this collector can read: its responses are refused
            return nullptr;
        }
        e.form = std::make_shared<const ResponseRules>(std::make_shared<const Form>(*loaded.form));
    }
    e.caseStudies.insert(caseStudy);
    found = e.form;
    return found;
}

} // namespace kerbside
