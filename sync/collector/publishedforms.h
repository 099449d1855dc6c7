// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "form/form.h"
#include "responsecheck.h"

#include <QHash>
#include <QSet>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace kerbside {

struct PublishedFormRecord;

/** The parsed form versions the collector has published, kept in memory for the ingest path
 *  (every response is checked against its version). A published version never changes, so
 *  an entry never goes stale; only its case studies can grow (a later `kerbside publish`,
 *  possibly by another process), so a miss asks the database again. Thread-safe. */
class PublishedForms
{
public:
    // Loads one form version when it is published to the case study (CollectorStore::publishedForm).
    using Loader = std::function<std::optional<PublishedFormRecord>(const QString &formId, const QString &version,
                                                                    const QString &caseStudy)>;
    explicit PublishedForms(Loader loader) : m_loader(std::move(loader)) {}

    // The form version (made ready for checking responses) when it is published to
    // `caseStudy`, else nullptr.
    std::shared_ptr<const ResponseRules> find(const QString &formId, const QString &version, const QString &caseStudy);
    // How often find() asked the database (tests: misses are remembered per batch).
    qint64 loads() const { return m_loads; }

private:
    struct Entry
    {
        std::shared_ptr<const ResponseRules> form;
        QSet<QString> caseStudies;
    };
    Loader m_loader;
    std::atomic<qint64> m_loads{0};
    std::mutex m_mutex;
    QHash<QString, Entry> m_forms; // "id\nversion"
};

} // namespace kerbside
