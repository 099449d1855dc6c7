// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "servicecontroller.h"

Q_MOC_INCLUDE("reviewmodel.h")

Q_MOC_INCLUDE("responsesmodel.h")

namespace kerbside {

class ResponsesModel;
class ReviewModel;

/** The Responses screen: lists drafts, completed, refused, partial, screened-out or discarded responses; discards a
 *  draft (soft: recoverable until sync) and restores a discarded one. Resuming is the
 *  interview screen's job. */
class ResponsesController : public kerbside::ServiceController // qualified: see ServiceController
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(kerbside::ResponsesModel *model READ model CONSTANT)
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged) // a status name
    Q_PROPERTY(QStringList filters READ filters CONSTANT)
    // A finalised interview opened read-only: its answers as Review reads them.
    Q_PROPERTY(kerbside::ReviewModel *viewing READ viewing CONSTANT)
    Q_PROPERTY(QString viewingTitle READ viewingTitle NOTIFY viewingChanged)

public:
    explicit ResponsesController(QObject *parent = nullptr);

    ResponsesModel *model() const { return m_model; }
    ReviewModel *viewing() const { return m_viewing; }
    QString viewingTitle() const { return m_viewingTitle; }
    QString filter() const { return m_filter; }
    void setFilter(const QString &f);
    QStringList filters() const;

    Q_INVOKABLE void refresh();
    Q_INVOKABLE bool discard(const QString &uuid);
    Q_INVOKABLE bool restore(const QString &uuid);
    // Any finalised response (complete, refused, partial, screened out): fills `viewing`
    // (nothing can be changed there). False if unknown.
    Q_INVOKABLE bool view(const QString &uuid);

signals:
    void filterChanged();
    void viewingChanged();

private:
    void watchStore(StoreService *s) override;
    void watchPrefs(Preferences *p) override;
    void servicesUpdated(Service which) override;

    ResponsesModel *m_model;
    ReviewModel *m_viewing;
    QString m_viewingTitle;
    QString m_filter = QStringLiteral("draft");
};

} // namespace kerbside
