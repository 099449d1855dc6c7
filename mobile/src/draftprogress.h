// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDateTime>
#include <QString>

namespace kerbside {

class DeviceStore;
class FormCatalogue;
struct ResponseMeta;

/** Where a draft stands, for Home and Responses: "page 7 of 13, 12 min ago". The page is
 *  the resume cursor's among the pages relevant to the answers given so far. */
struct DraftProgress
{
    int page = 0;  // 1-based; 0 when the form is not on the device
    int total = 0;

    static DraftProgress of(const DeviceStore &store, const FormCatalogue &catalogue, const ResponseMeta &meta);
    // "page 7 of 13, 12 min ago" in the interface language (`now` for tests).
    QString text(const QDateTime &updated, const QString &language,
                 const QDateTime &now = QDateTime::currentDateTimeUtc()) const;
    static QString ago(const QDateTime &when, const QString &language, const QDateTime &now);
};

} // namespace kerbside
