// SPDX-License-Identifier: Apache-2.0
// bench_tablet: the tablet app offscreen (software rendering).
//  - cold start: TabletApp load + first frame of Home, against a one-Label QML window (baseline)
//  - Next: time from Next to the new page built (QML) and rendered (a full frame), median/p99
//    over whole vox pop interviews, against a render of an unchanged page (baseline)
//  - peak RSS over 100 interviews in one session, against RSS once Home is shown
// Targets (issue 3): start < 1 s, next question < 16 ms p99, RSS < 150 MB.
#include "interview/interviewsession.h"
#include "pagemodel.h"
#include "uiharness.h"

#include <QFile>
#include <QGuiApplication>
#include <QStandardPaths>
#include <QQmlApplicationEngine>
#include <QtQml/qqmlextensionplugin.h>

#include <algorithm>
#include <cstdio>

Q_IMPORT_QML_PLUGIN(KerbsideUiPlugin)

using namespace kerbside;

namespace {

double ms(qint64 ns)
{
    return double(ns) / 1e6;
}

long rssKiB(const char *field) // "VmRSS:" or "VmHWM:"
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().split(' ').first().toLong();
    }
    return -1;
}

double percentile(QList<double> v, double p)
{
    std::sort(v.begin(), v.end());
    if (v.isEmpty())
        return 0;
    return v[qMin(v.size() - 1, qsizetype(p * double(v.size() - 1) + 0.5))];
}

// Answers every relevant question of the page on screen with a plausible value.
void answerPage(InterviewController &iv)
{
    PageModel *page = iv.page();
    for (int r = 0; r < page->count(); ++r) {
        const QModelIndex i = page->index(r);
        if (!page->data(i, PageModel::RelevantRole).toBool() || page->data(i, PageModel::ReadOnlyRole).toBool())
            continue;
        const QString name = page->data(i, PageModel::NameRole).toString();
        const QString type = page->data(i, PageModel::TypeRole).toString();
        const QVariantList choices = page->data(i, PageModel::ChoicesRole).toList();
        QString value;
        if (type == QLatin1String("consent"))
            value = QStringLiteral("yes");
        else if (type.startsWith(QLatin1String("select")) && !choices.isEmpty())
            value = choices.first().toMap().value(QStringLiteral("name")).toString();
        else if (type == QLatin1String("integer") || type == QLatin1String("decimal"))
            value = QStringLiteral("5");
        else if (type == QLatin1String("text"))
            value = QStringLiteral("fine");
        if (!value.isEmpty())
            iv.setAnswer(name, value);
    }
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("QT_QUICK_BACKEND", "software");
    QGuiApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    const int interviews = argc > 1 ? QByteArray(argv[1]).toInt() : 100;

    // Baseline: the cheapest Qt Quick window this process can show.
    QElapsedTimer t;
    t.start();
    double baselineStartMs = 0;
    {
        QQmlApplicationEngine engine;
        engine.loadData("import QtQuick\nimport QtQuick.Controls\nApplicationWindow { width: 1280; height: 800; visible: true; Label { text: \"x\" } }");
        auto *w = qobject_cast<QQuickWindow *>(engine.rootObjects().first());
        w->grabWindow();
        baselineStartMs = ms(t.nsecsElapsed());
    }

    // Cold start to an interactive Home (first run done in an earlier session).
    QTemporaryDir dir;
    {
        test::UiHarness first({}, dir.path());
        first.completeFirstRun();
    }
    t.restart();
    test::UiHarness ui({}, dir.path());
    ui.window()->grabWindow(); // a full frame of Home
    const double startMs = ms(t.nsecsElapsed());
    if (!ui.isShowing(QStringLiteral("startInterviewButton"))) {
        std::fprintf(stderr, "Home is not showing\n");
        return 1;
    }
    const long rssHomeKiB = rssKiB("VmRSS:");

    // Next: build + render per page.
    InterviewController &iv = ui.interview();
    QList<double> nextBuild, nextFull, idleRender;
    for (int n = 0; n < interviews; ++n) {
        if (!iv.start(QStringLiteral("community-contracts-voxpop")))
            return 1;
        test::settle(1);
        while (iv.mode() == QLatin1String("question")) {
            answerPage(iv);
            test::settle(1);
            QElapsedTimer idle;
            idle.start();
            ui.window()->grabWindow();
            idleRender << ms(idle.nsecsElapsed());

            QElapsedTimer step;
            step.start();
            if (!iv.next()) {
                std::fprintf(stderr, "Next refused on page %d: %s\n", iv.pageIndex(), qPrintable(iv.message()));
                return 1;
            }
            QCoreApplication::processEvents();
            nextBuild << ms(step.nsecsElapsed());
            ui.window()->grabWindow();
            nextFull << ms(step.nsecsElapsed());
        }
        if (!iv.finalise())
            return 1;
        test::settle(1);
        // Outside exec() deleteLater()'d delegates wait for an explicit flush (the app's event loop
        // does this by itself).
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    }
    const long peakKiB = rssKiB("VmHWM:");

    // Baseline: the core alone (InterviewSession on the same store: rules + durable writes).
    QList<double> coreNext;
    {
        const Form *form = ui.app().catalogue()->form(QStringLiteral("community-contracts-voxpop"));
        for (int n = 0; n < qMax(1, interviews / 5); ++n) {
            auto session = InterviewSession::start(ui.store(), *form, NewResponse{});
            while (true) {
                for (int q : session->interview().page(session->currentPage()).questions) {
                    const Question &question = form->questions[q];
                    if (!session->interview().isRelevant(q) || !isInputType(question.type))
                        continue;
                    QString v = question.type == QuestionType::Consent ? QStringLiteral("yes") : QString();
                    if (const ChoiceList *list = form->choicesFor(question))
                        v = list->choices.first().name;
                    else if (question.type == QuestionType::Integer)
                        v = QStringLiteral("5");
                    else if (question.type == QuestionType::Text)
                        v = QStringLiteral("fine");
                    session->answer(question.name, v);
                }
                if (session->atEnd())
                    break;
                QElapsedTimer step;
                step.start();
                session->next();
                coreNext << ms(step.nsecsElapsed());
            }
            session->finalise();
        }
    }

    std::printf("bench_tablet (offscreen, software renderer, %d vox pop interviews)\n", interviews);
    std::printf("cold start to Home (load + first frame): %.1f ms  (baseline one-Label window %.1f ms, ratio %.1fx)  target < 1000 ms\n",
                startMs, baselineStartMs, startMs / baselineStartMs);
    std::printf("Next -> page built:    median %.2f ms  p99 %.2f ms  (n=%lld)\n",
                percentile(nextBuild, 0.5), percentile(nextBuild, 0.99), qlonglong(nextBuild.size()));
    std::printf("Next -> page rendered: median %.2f ms  p99 %.2f ms  target p99 < 16 ms\n",
                percentile(nextFull, 0.5), percentile(nextFull, 0.99));
    std::printf("  baseline: re-render of an unchanged page median %.2f ms p99 %.2f ms (ratio p99 %.1fx)\n",
                percentile(idleRender, 0.5), percentile(idleRender, 0.99),
                percentile(nextFull, 0.99) / qMax(0.001, percentile(idleRender, 0.99)));
    std::printf("  baseline: core only (InterviewSession::next, durable cursor + paradata writes) median %.2f ms p99 %.2f ms\n",
                percentile(coreNext, 0.5), percentile(coreNext, 0.99));
    std::printf("RSS: at Home %.1f MB, peak over the run %.1f MB (growth %.1f MB)  target < 150 MB\n",
                rssHomeKiB / 1024.0, peakKiB / 1024.0, (peakKiB - rssHomeKiB) / 1024.0);
    std::printf("responses stored: %d\n", ui.store().counts().all);
    return 0;
}
