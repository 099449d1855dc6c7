// SPDX-License-Identifier: Apache-2.0
#include "interviewcontroller.h"

#include "fieldworkstate.h"
#include "form/repeatpath.h"

#include "formcatalogue.h"
#include "interview/interviewsession.h"
#include "pagemodel.h"
#include "positionservice.h"
#include "preferences.h"
#include "quota/quotaprogress.h"
#include "reviewmodel.h"
#include "storeservice.h"
#include "uistrings.h"

#include <utility>

namespace kerbside {

namespace {
// A later fix replaces the stored one only when it is at least this much better (metres),
// so a 1 Hz receiver does not rewrite the response every second.
constexpr double kAccuracyGainMetres = 1.0;
} // namespace

InterviewController::InterviewController(QObject *parent)
    : ServiceController(parent), m_page(new PageModel(this)), m_review(new ReviewModel(this)),
      m_outline(new ReviewModel(this)), m_typingPause(new QTimer(this))
{
    m_typingPause->setSingleShot(true);
    m_typingPause->setInterval(kTypingPauseMs);
    connect(m_typingPause, &QTimer::timeout, this, &InterviewController::checkTypedNumber);
}

InterviewController::~InterviewController() = default;

void InterviewController::watchPosition(PositionService *p)
{
    connect(p, &PositionService::positionChanged, this, &InterviewController::captureLocation);
    connect(p, &PositionService::statusChanged, this, &InterviewController::locationChanged);
}

bool InterviewController::active() const
{
    return m_session != nullptr;
}

QString InterviewController::uuid() const
{
    return m_session ? m_session->uuid() : QString();
}

QString InterviewController::formId() const
{
    return m_form ? m_form->id : QString();
}

QString InterviewController::formTitle() const
{
    if (!m_form)
        return {};
    return m_form->title.text(language(), m_form->defaultLanguage);
}

QString InterviewController::pageTitle() const
{
    if (!m_session || m_mode != QLatin1String("question"))
        return {};
    const Interview &iv = m_session->interview();
    const int p = m_session->currentPage();
    if (p < 0 || p >= iv.pageCount())
        return {};
    const Page &page = iv.page(p);
    if (page.kind == Page::Kind::RepeatEnd)
        return iv.instanceTitle(p);
    int group = page.group;
    if (group < 0)
        group = m_form->questions[page.questions.first()].group;
    // The nearest enclosing group with a label gives the heading; inside a repeat the
    // instance comes first ("Person 2 · About this person").
    while (group >= 0 && m_form->groups[group].label.isEmpty())
        group = m_form->groups[group].parent;
    const QString heading = group >= 0 && !m_form->groups[group].repeat ? iv.text(m_form->groups[group].label) : QString();
    if (page.repeat < 0)
        return heading;
    const QString instance = iv.instanceTitle(p);
    return heading.isEmpty() ? instance : instance + QStringLiteral(" · ") + heading;
}

QString InterviewController::pageKind() const
{
    if (!m_session || m_mode != QLatin1String("question"))
        return QStringLiteral("questions");
    const Interview &iv = m_session->interview();
    const int p = m_session->currentPage();
    return p >= 0 && p < iv.pageCount() && iv.page(p).kind == Page::Kind::RepeatEnd ? QStringLiteral("repeatEnd")
                                                                                     : QStringLiteral("questions");
}

QString InterviewController::repeatLabel() const
{
    if (!m_session)
        return {};
    const Interview &iv = m_session->interview();
    const int p = m_session->currentPage();
    if (p < 0 || p >= iv.pageCount() || iv.page(p).repeat < 0)
        return {};
    const Group &g = m_form->groups[iv.page(p).repeat];
    return g.label.isEmpty() ? g.name : iv.text(g.label);
}

int InterviewController::instanceCount() const
{
    if (!m_session)
        return 0;
    const Interview &iv = m_session->interview();
    const int p = m_session->currentPage();
    if (p < 0 || p >= iv.pageCount() || iv.page(p).kind != Page::Kind::RepeatEnd)
        return 0;
    return iv.instanceCount(repeatpath::countKey(*m_form, iv.page(p).repeat, iv.page(p).instance));
}

bool InterviewController::canAddInstance() const
{
    return m_session && pageKind() == QLatin1String("repeatEnd") && instanceCount() < kMaxRepeatInstances;
}

bool InterviewController::canRemoveInstance() const
{
    return m_session && m_mode == QLatin1String("question")
        && m_session->interview().canRemoveInstance(m_session->currentPage());
}

bool InterviewController::addInstance()
{
    return canAddInstance() && changeInstances(&InterviewSession::addInstance);
}

bool InterviewController::removeInstance()
{
    return canRemoveInstance() && changeInstances(&InterviewSession::removeInstance);
}

bool InterviewController::changeInstances(bool (InterviewSession::*change)())
{
    bool changed = false;
    try {
        changed = (m_session.get()->*change)();
    } catch (const StoreError &e) {
        fail(QString::fromUtf8(e.what()));
        return false;
    }
    if (changed) {
        setMessage({});
        showCurrentPage();
    }
    return changed;
}

int InterviewController::pageIndex() const
{
    return m_session ? m_session->currentPage() : -1;
}

int InterviewController::pageNumber() const
{
    if (!m_session)
        return 0;
    if (m_mode == QLatin1String("review") || m_mode == QLatin1String("finished"))
        return pageTotal();
    return int(m_session->interview().relevantPages().indexOf(m_session->currentPage())) + 1;
}

int InterviewController::pageTotal() const
{
    return m_session ? int(m_session->interview().relevantPages().size()) : 0;
}

double InterviewController::progress() const
{
    if (m_mode == QLatin1String("finished"))
        return 1.0;
    const int total = pageTotal();
    if (total <= 0)
        return 0.0;
    // The review counts as the last step, so the bar is full only there.
    return m_mode == QLatin1String("review") ? 1.0 : double(pageNumber() - 1) / total;
}

bool InterviewController::canGoBack() const
{
    if (!m_session || m_mode == QLatin1String("finished"))
        return false;
    if (m_mode == QLatin1String("review"))
        return true;
    return m_session->interview().previousPage(m_session->currentPage()) >= 0;
}

bool InterviewController::atEnd() const
{
    return m_session && m_session->atEnd();
}

bool InterviewController::refusal() const
{
    return m_session && m_session->interview().isRefusal();
}

QString InterviewController::language() const
{
    return m_session ? m_session->interview().language() : QString();
}

QStringList InterviewController::languages() const
{
    return m_form ? m_form->languages : QStringList();
}

QString InterviewController::languageName(const QString &code) const
{
    if (code == QLatin1String("en"))
        return QStringLiteral("English");
    if (code == QLatin1String("pl"))
        return QStringLiteral("Polski");
    return code;
}

QString InterviewController::locationState() const
{
    if (m_locationStored)
        return QStringLiteral("recorded");
    if (!m_position || !m_position->available())
        return QStringLiteral("unavailable");
    return QStringLiteral("waiting");
}

bool InterviewController::start(const QString &formId)
{
    if (!m_store || !m_catalogue)
        return false;
    const Form *form = m_catalogue->form(formId);
    if (!form) {
        fail(QStringLiteral("The form %1 is not on this device.").arg(formId));
        return false;
    }
    NewResponse meta;
    if (m_prefs) {
        meta.caseStudy = m_prefs->caseStudy();
        meta.enumerator = m_prefs->enumerator();
        meta.deviceId = m_prefs->deviceId();
        if (form->languages.contains(m_prefs->uiLanguage()))
            meta.language = m_prefs->uiLanguage();
    }
    m_locationStored = false;
    m_locationAccuracy = qQNaN();
    m_watchArea = true;
    try {
        return begin(InterviewSession::start(m_store->store(), *form, meta), form, meta.caseStudy);
    } catch (const StoreError &e) {
        fail(QString::fromUtf8(e.what()));
        return false;
    }
}

bool InterviewController::resume(const QString &uuid)
{
    if (!m_store || !m_catalogue)
        return false;
    try {
        const std::optional<ResponseMeta> meta = [&]() -> std::optional<ResponseMeta> {
            const std::optional<Response> r = m_store->store().response(uuid);
            return r ? std::optional<ResponseMeta>(r->meta) : std::nullopt;
        }();
        if (!meta) {
            fail(QStringLiteral("There is no interview %1 on this device.").arg(uuid));
            return false;
        }
        // The version the draft was started with: a newer download must not reinterpret it.
        const Form *form = meta->formVersion.isEmpty() ? m_catalogue->form(meta->formId)
                                                       : m_catalogue->form(meta->formId, meta->formVersion);
        if (!form) {
            fail(QStringLiteral("The form %1 (version %2) of this interview is no longer on this device; "
                                "the answers are kept.").arg(meta->formId, meta->formVersion));
            return false;
        }
        m_locationStored = meta->location.isValid();
        m_locationAccuracy = meta->location.accuracy;
        m_watchArea = false; // warned (or not) when it started
        return begin(InterviewSession::resume(m_store->store(), *form, uuid), form, meta->caseStudy);
    } catch (const StoreError &e) {
        fail(QString::fromUtf8(e.what()));
        return false;
    }
}

bool InterviewController::begin(std::unique_ptr<InterviewSession> session, const Form *form,
                                const QString &caseStudy)
{
    m_session = std::move(session);
    m_form = form;
    m_lastFormId = form->id;
    m_finishedStatus.clear();
    m_cameFromReview = false;
    setMessage({});
    m_review->clear();
    m_areaWarning.clear();
    if (m_store) {
        const DeviceArea a = deviceArea(m_store->store(), caseStudy);
        m_session->setArea(a.area, a.version);
    }
    // Location is asked for in the background; the interview never waits for it.
    if (m_position) {
        m_position->start();
        captureLocation();
    }
    loadQuota();
    setMode(QStringLiteral("question"));
    showCurrentPage();
    emit languageChanged();
    emit locationChanged();
    if (m_store)
        m_store->notifyChanged();
    return true;
}

void InterviewController::showCurrentPage()
{
    const Interview &iv = m_session->interview();
    const int p = m_session->currentPage();
    if (p >= 0 && p < iv.pageCount())
        m_page->reset(&iv, p);
    else
        m_page->clear();
    emit stateChanged();
}

void InterviewController::setMode(const QString &mode)
{
    if (mode == m_mode)
        return;
    m_mode = mode;
    emit stateChanged();
}

void InterviewController::setMessage(const QString &m)
{
    if (m == m_message)
        return;
    m_message = m;
    emit messageChanged();
}

QString InterviewController::setAnswer(const QString &question, const QString &value)
{
    if (!m_session || m_mode == QLatin1String("finished"))
        return {};
    const Interview &iv = m_session->interview();
    const Question *q = iv.questionOf(question); // a name, or a key inside a repeat
    if (!q)
        return {};
    if (iv.answer(question) == value)
        return m_page->message(question);
    AnswerCheck check;
    try {
        check = m_session->answer(question, value);
    } catch (const StoreError &e) {
        fail(QString::fromUtf8(e.what()));
        return m_page->message(question);
    }
    // A tap answers at once, so its problem shows at once; typed answers show theirs after
    // Next and then update live as they are fixed, rather than nagging on every keystroke.
    const bool tapped = q->type == QuestionType::SelectOne || q->type == QuestionType::SelectMultiple
                        || q->type == QuestionType::Consent || q->type == QuestionType::Geopoint;
    const bool shown = m_page->hasMessage(question);
    const bool emptyRequired = check.kind == AnswerCheck::Kind::Required;
    if (check.ok() || ((shown || tapped) && !emptyRequired) || (shown && emptyRequired))
        m_page->setMessage(question, check.ok() ? QString() : check.message);
    // Numbers are checked like taps, once the typing pauses (not on every keystroke).
    const bool number = q->type == QuestionType::Integer || q->type == QuestionType::Decimal;
    if (number && !check.ok() && !emptyRequired && !shown) {
        m_typedQuestion = question;
        m_typingPause->start();
    } else if (question == m_typedQuestion) {
        m_typingPause->stop();
    }
    if (m_page->message(question).isEmpty())
        setMessage({});
    m_page->refresh({question});
    updateQuota(); // the answer may have fixed the respondent's cell
    emit stateChanged(); // relevance or a refusal may change the page count, progress, Next
    return m_page->message(question);
}

QString InterviewController::answer(const QString &question) const
{
    return m_session ? m_session->interview().answer(question) : QString();
}

bool InterviewController::next()
{
    if (!m_session || m_mode != QLatin1String("question"))
        return false;
    if (quotaHard())
        return screenOut();
    const Interview &iv = m_session->interview();
    const int before = m_session->currentPage();
    AnswerCheck verdict;
    try {
        verdict = m_session->next();
    } catch (const StoreError &e) {
        fail(QString::fromUtf8(e.what()));
        return false;
    }
    if (!verdict.ok()) {
        const QString first = iv.firstInvalidOnPage(before);
        m_page->setMessage(first, verdict.message);
        setMessage(namedMessage(first, verdict.message));
        emit questionFocused(first);
        return false;
    }
    setMessage({});
    if (m_session->currentPage() != before) {
        showCurrentPage();
        return true;
    }
    // The last page: a refusal ends here; otherwise the review.
    if (iv.isRefusal())
        return finalise();
    showReview();
    return true;
}

bool InterviewController::back()
{
    if (!m_session)
        return false;
    if (m_mode == QLatin1String("review")) {
        setMode(QStringLiteral("question"));
        showCurrentPage();
        return true;
    }
    if (m_mode != QLatin1String("question"))
        return false;
    bool moved = false;
    try {
        moved = m_session->back();
    } catch (const StoreError &e) {
        fail(QString::fromUtf8(e.what()));
        return false;
    }
    if (moved) {
        setMessage({});
        showCurrentPage();
    }
    return moved;
}

void InterviewController::showReview()
{
    if (!m_session)
        return;
    m_review->rebuild(m_session->interview());
    m_cameFromReview = false;
    setMessage({});
    setMode(QStringLiteral("review"));
    emit stateChanged();
}

void InterviewController::jumpTo(const QString &question)
{
    showPage(question, true);
}

void InterviewController::goTo(const QString &question)
{
    showPage(question, false);
}

void InterviewController::refreshOutline()
{
    if (m_session)
        m_outline->rebuild(m_session->interview());
    else
        m_outline->clear();
}

void InterviewController::showPage(const QString &question, bool fromReview)
{
    if (!m_session)
        return;
    const int p = m_session->interview().pageOf(question);
    if (p < 0)
        return;
    try {
        m_session->showPage(p);
    } catch (const StoreError &e) {
        fail(QString::fromUtf8(e.what()));
        return;
    }
    m_cameFromReview = fromReview;
    m_mode = QStringLiteral("question");
    setMessage({});
    showCurrentPage();
    emit questionFocused(question);
}

bool InterviewController::finalise()
{
    if (!m_session)
        return false;
    if (quotaHard()) // reached Review through the question list: still a full cell
        return screenOut();
    ResponseStatus status = ResponseStatus::Complete;
    QList<FinaliseIssue> issues;
    try {
        issues = m_session->finalise(&status);
    } catch (const StoreError &e) {
        fail(QString::fromUtf8(e.what()));
        return false;
    }
    if (!issues.isEmpty()) {
        // Back to the first problem, with its message under the question.
        const FinaliseIssue &first = issues.first();
        jumpTo(first.question);
        m_page->setMessage(first.question, first.check.message);
        setMessage(namedMessage(first.question, first.check.message));
        emit questionFocused(first.question);
        return false;
    }
    finish(status);
    return true;
}

void InterviewController::finish(ResponseStatus status)
{
    m_typingPause->stop();
    m_session.reset();
    m_page->clear();
    m_review->clear();
    m_finishedStatus = responseStatusName(status);
    m_mode = QStringLiteral("finished");
    updateQuota();
    emit stateChanged();
    if (m_store)
        m_store->notifyChanged();
    emit finished(m_finishedStatus);
}

void InterviewController::continueDespiteQuota()
{
    if (!m_plan || m_plan->mode != quota::Mode::Soft || m_quotaCell.isEmpty())
        return;
    m_quotaAccepted = m_quotaCell;
    updateQuota();
}

bool InterviewController::screenOut()
{
    if (!m_session)
        return false;
    try {
        m_session->screenOut();
    } catch (const StoreError &e) {
        fail(QString::fromUtf8(e.what()));
        return false;
    }
    finish(ResponseStatus::ScreenedOut);
    return true;
}

void InterviewController::loadQuota()
{
    m_plan.reset();
    m_quotaCounts.clear();
    m_quotaAccepted.clear();
    m_started = {};
    m_startedOffset.reset();
    m_caseStudyName.clear();
    if (m_store && m_session) {
        try {
            const std::optional<Response> r = m_store->store().response(m_session->uuid());
            const DeviceFieldwork f = r ? deviceFieldwork(m_store->store(), r->meta.caseStudy) : DeviceFieldwork{};
            if (r && f.plan && f.plan->formId == m_form->id) {
                m_plan = f.plan;
                m_quotaCounts = knownQuotaCounts(m_store->store(), f);
                m_started = r->meta.started;
                m_startedOffset = r->meta.startedUtcOffset;
                m_caseStudyName = m_prefs && m_prefs->caseStudy() == r->meta.caseStudy ? m_prefs->caseStudyName()
                                                                                       : r->meta.caseStudy;
            }
        } catch (const StoreError &e) {
            fail(QString::fromUtf8(e.what()));
        }
    }
    updateQuota();
}

void InterviewController::updateQuota()
{
    QString cell;
    if (m_session && m_plan) {
        const Interview &iv = m_session->interview();
        cell = quota::fullCell(*m_plan, m_quotaCounts, [&](const QString &q) { return iv.answer(q); }, m_started,
                               m_startedOffset);
    }
    QString notice;
    if (!cell.isEmpty() && !(m_plan->mode == quota::Mode::Soft && cell == m_quotaAccepted)) {
        const QString lang = m_prefs ? m_prefs->uiLanguage() : QString();
        const QString label = quota::cellLabel(cell, *m_form, m_form->languages.contains(lang) ? lang : QString());
        notice = m_prefs ? m_prefs->text(QStringLiteral("quota_full")).arg(label, m_caseStudyName)
                         : QStringLiteral("Quota full: %1 in %2").arg(label, m_caseStudyName);
    }
    if (cell == m_quotaCell && notice == m_quotaNotice)
        return;
    m_quotaCell = cell;
    m_quotaNotice = notice;
    emit quotaChanged();
}

void InterviewController::discard()
{
    if (!m_session)
        return;
    try {
        m_session->discard();
    } catch (const StoreError &e) {
        fail(QString::fromUtf8(e.what()));
        return;
    }
    close();
}

void InterviewController::close()
{
    m_typingPause->stop();
    m_typedQuestion.clear();
    m_session.reset();
    m_page->clear();
    m_review->clear();
    m_mode = QStringLiteral("none");
    setMessage({});
    updateQuota();
    emit stateChanged();
    if (m_store)
        m_store->notifyChanged();
}

bool InterviewController::nextRespondent()
{
    const QString formId = m_lastFormId;
    close();
    return !formId.isEmpty() && start(formId);
}

void InterviewController::setLanguage(const QString &language)
{
    if (!m_session || language == this->language() || !languages().contains(language))
        return;
    try {
        m_session->setLanguage(language);
    } catch (const StoreError &e) {
        fail(QString::fromUtf8(e.what()));
        return;
    }
    // Messages already shown were in the old language: ask the core again.
    const Interview &iv = m_session->interview();
    for (int r = 0; r < m_page->count(); ++r) {
        const QString name = m_page->nameAt(r);
        if (m_page->hasMessage(name)) {
            const AnswerCheck c = iv.check(name);
            m_page->setMessage(name, c.ok() ? QString() : c.message);
        }
    }
    if (!m_message.isEmpty()) {
        const QString first = iv.firstInvalidOnPage(m_session->currentPage());
        setMessage(first.isEmpty() ? QString() : namedMessage(first, iv.check(first).message));
    }
    m_page->refresh();
    if (m_mode == QLatin1String("review"))
        m_review->rebuild(iv);
    updateQuota();
    emit languageChanged();
    emit stateChanged();
}

void InterviewController::captureLocation()
{
    if (!m_session || !m_position || !m_position->hasFix())
        return;
    const Location loc = m_position->lastLocation();
    if (!loc.isValid())
        return;
    const bool better = !m_locationStored
                        || (!qIsNaN(loc.accuracy)
                            && (qIsNaN(m_locationAccuracy) || loc.accuracy + kAccuracyGainMetres <= m_locationAccuracy));
    if (!better)
        return;
    AreaCheck area;
    try {
        area = m_session->setLocation(loc);
    } catch (const StoreError &e) {
        fail(QString::fromUtf8(e.what()));
        return;
    }
    if (m_watchArea) {
        // Judged again with each better fix: a first rough fix outside may turn out inside.
        const QString lang = m_prefs ? m_prefs->uiLanguage() : QString();
        const QString name = m_prefs ? m_prefs->caseStudyName() : QString();
        m_areaWarning = area.inside != InsideArea::No
            ? QString()
            : UiStrings::text(QStringLiteral("area_outside_warning"), lang)
                  .arg(QString::number(qRound64(area.distanceMetres)), name);
    }
    m_locationStored = true;
    m_locationAccuracy = loc.accuracy;
    emit locationChanged();
}

void InterviewController::dismissAreaWarning()
{
    m_watchArea = false;
    if (m_areaWarning.isEmpty())
        return;
    m_areaWarning.clear();
    emit locationChanged();
}

void InterviewController::checkTypedNumber()
{
    const QString name = std::exchange(m_typedQuestion, QString());
    if (!m_session || m_mode != QLatin1String("question") || m_page->rowOf(name) < 0)
        return;
    const AnswerCheck c = m_session->interview().check(name);
    if (!c.ok() && c.kind != AnswerCheck::Kind::Required)
        m_page->setMessage(name, c.message);
}

QString InterviewController::namedMessage(const QString &question, const QString &message) const
{
    const Question *q = m_session ? m_session->interview().questionOf(question) : nullptr;
    if (!q)
        return message;
    const Interview &iv = m_session->interview();
    QString label = PageModel::interpolate(iv, iv.text(q->label), iv.pageOf(question)).simplified();
    if (label.size() > 60) // the footer names the question; its full text is above
        label = label.left(57).trimmed() + QStringLiteral("…");
    return label.isEmpty() ? message : QStringLiteral("%1: %2").arg(label, message);
}

void InterviewController::fail(const QString &what)
{
    if (m_store)
        m_store->reportError(what);
    emit error(what);
}

} // namespace kerbside
