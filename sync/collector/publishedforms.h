// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "form/form.h"

#include <QHash>
#include <QSet>
#include <QString>

#include <functional>
#include <memory>
#include <mutex>

namespace kerbside {

struct PublishedFormRecord;

/** The parsed form versions the collector has published, kept in memory for the ingest path
 *  (every response is checked against its version). A published version never changes, so
 *  an entry never goes stale; only its case studies can grow (a later `kerbside publish`,
 *  possibly by another process), so a miss asks the database again. Thread-safe. */
class PublishedForms
{
public:
    // Loads the form versions published to one case study (CollectorStore::forms).
    using Loader = std::function<QList<PublishedFormRecord>(const QString &caseStudy)>;
    explicit PublishedForms(Loader loader) : m_loader(std::move(loader)) {}

    // The form version when it is published to `caseStudy`, else nullptr.
    std::shared_ptr<const Form> find(const QString &formId, const QString &version, const QString &caseStudy);

private:
    struct Entry
    {
        std::shared_ptr<const Form> form;
        QSet<QString> caseStudies;
    };
    Loader m_loader;
    std::mutex m_mutex;
    QHash<QString, Entry> m_forms; // "id\nversion"
};

} // namespace kerbside
