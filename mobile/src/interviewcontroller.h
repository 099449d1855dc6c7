// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "quota/quotaplan.h"
#include "servicecontroller.h"
#include "store/storetypes.h"

#include <QDateTime>
#include <QMap>

#include <QStringList>
#include <QTimer>

#include <memory>
#include <optional>

Q_MOC_INCLUDE("pagemodel.h")
Q_MOC_INCLUDE("reviewmodel.h")

namespace kerbside {

class InterviewSession;
class PageModel;
class ReviewModel;
struct Form;

/** The interview screen: drives one InterviewSession (rules and persistence live in the core)
 *  and exposes the page on screen, progress, the review list and the end state. QML shows
 *  these and forwards taps; every answer is durable before setAnswer() returns. */
class InterviewController : public kerbside::ServiceController // qualified: see ServiceController
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(kerbside::PageModel *page READ page CONSTANT)
    Q_PROPERTY(kerbside::ReviewModel *review READ review CONSTANT)
    // The question list (any time, not only at Review): every relevant question to jump to.
    Q_PROPERTY(kerbside::ReviewModel *outline READ outline CONSTANT)
    Q_PROPERTY(bool active READ active NOTIFY stateChanged)
    Q_PROPERTY(QString mode READ mode NOTIFY stateChanged) // "none", "question", "review", "finished"
    Q_PROPERTY(QString uuid READ uuid NOTIFY stateChanged)
    Q_PROPERTY(QString formId READ formId NOTIFY stateChanged)
    Q_PROPERTY(QString formTitle READ formTitle NOTIFY languageChanged)
    Q_PROPERTY(QString pageTitle READ pageTitle NOTIFY stateChanged)
    Q_PROPERTY(int pageIndex READ pageIndex NOTIFY stateChanged)
    // Repeats: "questions", or "repeatEnd" on the page that offers another instance.
    Q_PROPERTY(QString pageKind READ pageKind NOTIFY stateChanged)
    Q_PROPERTY(QString repeatLabel READ repeatLabel NOTIFY stateChanged) // "Person" on its pages
    Q_PROPERTY(int instanceCount READ instanceCount NOTIFY stateChanged) // on a repeatEnd page
    Q_PROPERTY(bool canAddInstance READ canAddInstance NOTIFY stateChanged)
    Q_PROPERTY(bool canRemoveInstance READ canRemoveInstance NOTIFY stateChanged)
    Q_PROPERTY(int pageNumber READ pageNumber NOTIFY stateChanged) // 1-based among relevant pages
    Q_PROPERTY(int pageTotal READ pageTotal NOTIFY stateChanged)
    Q_PROPERTY(double progress READ progress NOTIFY stateChanged) // 0..1
    Q_PROPERTY(bool canGoBack READ canGoBack NOTIFY stateChanged)
    Q_PROPERTY(bool atEnd READ atEnd NOTIFY stateChanged)
    Q_PROPERTY(bool refusal READ refusal NOTIFY stateChanged)
    Q_PROPERTY(bool cameFromReview READ cameFromReview NOTIFY stateChanged)
    Q_PROPERTY(QString message READ message NOTIFY messageChanged)
    Q_PROPERTY(QString language READ language NOTIFY languageChanged)
    Q_PROPERTY(QStringList languages READ languages NOTIFY stateChanged)
    Q_PROPERTY(QString finishedStatus READ finishedStatus NOTIFY stateChanged) // "complete", "refused", "screened_out"
    // Once the answers fix the respondent's quota cell and it is full: "Quota full: 55 to 64 ·
    // Woman in Northfield Estate" ("" otherwise, and in soft mode once the fieldworker chose to go on).
    Q_PROPERTY(QString quotaNotice READ quotaNotice NOTIFY quotaChanged)
    // Hard mode with a full cell: Next and Finalise end the interview as screened out.
    Q_PROPERTY(bool quotaHard READ quotaHard NOTIFY quotaChanged)
    Q_PROPERTY(QString locationState READ locationState NOTIFY locationChanged) // "waiting", "recorded", "unavailable"
    Q_PROPERTY(double locationAccuracy READ locationAccuracy NOTIFY locationChanged)
    // No location stored for this interview yet: Review and Finalise say so.
    Q_PROPERTY(bool locationMissing READ locationMissing NOTIFY locationChanged)
    // i12: a new interview's fix is outside the case study's area: the warning, in the interface
    // language ("" when inside, unknown or dismissed). The fieldworker may go on.
    Q_PROPERTY(QString areaWarning READ areaWarning NOTIFY locationChanged)

public:
    explicit InterviewController(QObject *parent = nullptr);
    ~InterviewController() override;

    PageModel *page() const { return m_page; }
    ReviewModel *review() const { return m_review; }
    ReviewModel *outline() const { return m_outline; }

    bool active() const;
    QString mode() const { return m_mode; }
    QString uuid() const;
    QString formId() const;
    QString formTitle() const;
    QString pageTitle() const;
    int pageIndex() const;
    QString pageKind() const;
    QString repeatLabel() const;
    int instanceCount() const;
    bool canAddInstance() const;
    bool canRemoveInstance() const;
    int pageNumber() const;
    int pageTotal() const;
    double progress() const;
    bool canGoBack() const;
    bool atEnd() const;
    bool refusal() const;
    bool cameFromReview() const { return m_cameFromReview; }
    QString message() const { return m_message; }
    QString language() const;
    QStringList languages() const;
    QString finishedStatus() const { return m_finishedStatus; }
    QString quotaNotice() const { return m_quotaNotice; }
    bool quotaHard() const { return !m_quotaCell.isEmpty() && m_plan && m_plan->mode == quota::Mode::Hard; }
    QString locationState() const;
    double locationAccuracy() const { return m_locationAccuracy; }
    bool locationMissing() const { return active() && !m_locationStored; }
    QString areaWarning() const { return m_areaWarning; }
    // How long a typed number rests before it is checked (the same check a tap gets at once).
    static constexpr int kTypingPauseMs = 700;

    Q_INVOKABLE bool start(const QString &formId);
    Q_INVOKABLE bool resume(const QString &uuid);
    // Stores an answer durably; returns the message now shown under the question ("" when fine).
    Q_INVOKABLE QString setAnswer(const QString &question, const QString &value);
    Q_INVOKABLE QString answer(const QString &question) const;
    // Next page; at the last page the review; after "no" at consent finalises as a refusal.
    Q_INVOKABLE bool next();
    Q_INVOKABLE bool back();
    // On a repeatEnd page: a new instance, its first page shown. Stored at once.
    Q_INVOKABLE bool addInstance();
    // Removes the instance the page belongs to (QML confirms first); later ones move down.
    Q_INVOKABLE bool removeInstance();
    Q_INVOKABLE void showReview();
    Q_INVOKABLE void jumpTo(const QString &question); // from Review: "Back to review" is offered
    Q_INVOKABLE void goTo(const QString &question);   // from the question list
    Q_INVOKABLE void refreshOutline();
    Q_INVOKABLE bool finalise();
    // Soft mode: the fieldworker goes on with a respondent whose cell is full (the notice goes).
    Q_INVOKABLE void continueDespiteQuota();
    // Ends the interview as screened out (quota full), keeping the answers given so far.
    Q_INVOKABLE bool screenOut();
    Q_INVOKABLE void discard();
    Q_INVOKABLE void close(); // leave the screen; the draft stays for Resume
    Q_INVOKABLE bool nextRespondent();
    Q_INVOKABLE void setLanguage(const QString &language);
    Q_INVOKABLE QString languageName(const QString &code) const;
    Q_INVOKABLE void dismissAreaWarning(); // "Go on here": not shown again in this interview

signals:
    void stateChanged();
    void messageChanged();
    void languageChanged();
    void locationChanged();
    void quotaChanged();
    void finished(const QString &status);
    // This question needs the fieldworker's eye (Next/Finalise stopped at it): scroll to it.
    void questionFocused(const QString &name);
    void error(const QString &message);

private:
    void watchPosition(PositionService *p) override;
    bool begin(std::unique_ptr<InterviewSession> session, const Form *form, const QString &caseStudy);
    void showCurrentPage();
    bool changeInstances(bool (InterviewSession::*change)()); // add or remove, then show the page
    void setMode(const QString &mode);
    void setMessage(const QString &m);
    void captureLocation();
    void checkTypedNumber();
    void showPage(const QString &question, bool fromReview);
    // "Age band: This question needs an answer." for the footer.
    QString namedMessage(const QString &question, const QString &message) const;
    void fail(const QString &what);
    void loadQuota(); // the case study's plan and the counts known to this tablet
    void updateQuota();
    void finish(ResponseStatus status);

    PageModel *m_page;
    ReviewModel *m_review;
    ReviewModel *m_outline;
    QTimer *m_typingPause;
    QString m_typedQuestion; // the number waiting for its check
    std::unique_ptr<InterviewSession> m_session;
    const Form *m_form = nullptr;
    QString m_lastFormId; // for "Next respondent"
    QString m_mode = QStringLiteral("none");
    QString m_message;
    QString m_finishedStatus;
    bool m_cameFromReview = false;
    bool m_locationStored = false;
    double m_locationAccuracy = qQNaN(); // metres, of the stored fix
    std::optional<quota::Plan> m_plan;    // of this interview's case study, when it counts this form
    QMap<QString, qint64> m_quotaCounts;  // collector's last counts + this tablet's since
    QDateTime m_started;                  // the response's start (time slots)
    std::optional<int> m_startedOffset;   // and the UTC offset recorded with it
    QString m_caseStudyName;
    QString m_quotaCell;                  // the respondent's cell while it is full
    QString m_quotaAccepted;              // soft mode: the full cell the fieldworker went on with
    QString m_quotaNotice;
    bool m_watchArea = false;            // a new interview, warning not dismissed yet
    QString m_areaWarning;
};

} // namespace kerbside
