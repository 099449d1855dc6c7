// SPDX-License-Identifier: Apache-2.0
// The interview: one page at a time, progress, Back/Next, language switch, review, the end.
// Rules come from InterviewController (the core); this file only lays out and forwards taps.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

Page {
    id: page
    required property InterviewController controller
    required property PositionService position
    required property Preferences prefs
    signal leave()

    readonly property string mode: controller.mode
    background: Rectangle { color: KbTheme.background }

    Connections {
        target: page.controller
        function onStateChanged() { if (page.controller.pageIndex !== body.lastPage) { body.lastPage = page.controller.pageIndex; body.contentY = 0 } }
        function onQuestionFocused(name) { focusTimer.question = name; focusTimer.restart() }
    }
    // The message under the question has only just appeared: scroll once the layouts have
    // placed it (a frame later), not from the positions of before.
    Timer {
        id: focusTimer
        property string question
        interval: 60
        onTriggered: page.scrollToQuestion(question)
    }

    // Brings a question and the message under it into view, above the footer.
    function scrollToQuestion(name) {
        let item = null
        for (let i = 0; i < questions.children.length; ++i)
            if (questions.children[i].objectName === "question_" + name)
                item = questions.children[i]
        if (!item)
            return
        const top = item.mapToItem(content, 0, 0).y + content.y
        const bottom = top + item.height
        const maxY = Math.max(0, body.contentHeight - body.height)
        // Its top just under the upper edge; a question taller than the view shows its end,
        // where the message is.
        let y = top - KbTheme.spacing
        if (bottom - y > body.height)
            y = bottom + KbTheme.spacing - body.height
        body.contentY = Math.max(0, Math.min(maxY, y))
    }

    // ODK Collect's keys: Page Down is Next, Page Up is Back.
    Shortcut {
        sequences: ["PgDown"]
        enabled: page.visible && page.mode === "question"
        onActivated: page.controller.next()
    }
    Shortcut {
        sequences: ["PgUp"]
        enabled: page.visible && (page.mode === "question" || page.mode === "review")
        onActivated: page.controller.back()
    }

    // Swipe left for Next, right for Back, as in ODK Collect, anywhere on the page that is not
    // a button (the body only scrolls vertically, so a sideways drag is the swipe).
    DragHandler {
        id: swipe
        objectName: "swipeHandler"
        target: null
        yAxis.enabled: false
        enabled: page.mode === "question" || page.mode === "review"
        onActiveChanged: {
            if (active)
                return
            const threshold = Math.min(160, body.width * 0.15)
            if (translation.x < -threshold && page.mode === "question")
                page.controller.next()
            else if (translation.x > threshold)
                page.controller.back()
        }
    }

    QuestionListPanel {
        id: questionList
        controller: page.controller
    }

    // Plain positioning, not nested layouts: a wrapping title inside a RowLayout inside a
    // ColumnLayout is left unplaced by Qt 6.4 (every button at 0,0).
    header: Rectangle {
        id: headerBar
        // The title sits between the buttons when it fits there in two lines with every word
        // whole; otherwise it takes a row of its own under them (portrait, large text).
        readonly property real inlineRoom: width - 32 - pauseButton.implicitWidth - rightButtons.implicitWidth
        readonly property bool titleInline: {
            const title = page.controller.formTitle
            if (titleMetrics.font.pixelSize <= 0)
                return false
            let widest = 0
            const words = title.split(/\s+/)
            for (let i = 0; i < words.length; ++i)
                widest = Math.max(widest, titleMetrics.advanceWidth(words[i]))
            return widest <= inlineRoom && titleMetrics.advanceWidth(title) <= inlineRoom * 1.7
        }
        implicitHeight: 16 + (titleInline ? Math.max(KbTheme.buttonHeight, inlineTitle.implicitHeight)
                                          : KbTheme.buttonHeight + 4 + rowTitle.implicitHeight)
        color: KbTheme.headerBackground
        border.width: KbTheme.highContrast ? 2 : 0
        border.color: KbTheme.border

        FontMetrics { id: titleMetrics; font.pixelSize: KbTheme.fontLarge; font.bold: true }

        KbButton {
            id: pauseButton
            objectName: "pauseButton"
            x: 8
            y: 8
            visible: page.mode !== "finished"
            text: KbTheme.tr.pause
            onClicked: { page.controller.close(); page.leave() }
        }
        Label {
            id: inlineTitle
            objectName: "formTitle"
            visible: headerBar.titleInline
            x: (pauseButton.visible ? pauseButton.width + 8 : 0) + 8
            width: Math.max(0, rightButtons.x - 8 - x)
            y: 8 + Math.max(0, (KbTheme.buttonHeight - height) / 2)
            text: page.controller.formTitle
            font.pixelSize: KbTheme.fontLarge
            font.bold: true
            color: KbTheme.headerText
            wrapMode: Text.WordWrap
        }
        Row {
            id: rightButtons
            x: headerBar.width - width - 8
            y: 8
            spacing: 8
            KbButton {
                id: listButton
                objectName: "questionListButton"
                visible: page.mode === "question" || page.mode === "review"
                text: KbTheme.tr.question_list
                onClicked: questionList.show()
            }
            Repeater {
                model: page.mode === "finished" ? [] : page.controller.languages
                // On the header: the current language filled, the others outlined.
                delegate: AbstractButton {
                    id: langButton
                    required property string modelData
                    readonly property bool current: page.controller.language === modelData
                    objectName: "lang_" + modelData
                    implicitWidth: KbTheme.buttonHeight * 1.3
                    implicitHeight: KbTheme.buttonHeight
                    Accessible.name: page.controller.languageName(modelData)
                    onClicked: page.controller.setLanguage(modelData)
                    background: Rectangle {
                        radius: 8
                        color: langButton.current ? KbTheme.headerText : "transparent"
                        border.width: 2
                        border.color: KbTheme.headerText
                    }
                    contentItem: Label {
                        text: langButton.modelData.toUpperCase()
                        font.pixelSize: KbTheme.fontBody
                        font.bold: langButton.current
                        horizontalAlignment: Text.AlignHCenter
                        verticalAlignment: Text.AlignVCenter
                        color: langButton.current ? KbTheme.headerBackground : KbTheme.headerText
                    }
                }
            }
        }
        Label {
            id: rowTitle
            objectName: "formTitleRow"
            visible: !headerBar.titleInline
            x: 8
            y: 8 + KbTheme.buttonHeight + 4
            width: headerBar.width - 16
            text: page.controller.formTitle
            font.pixelSize: KbTheme.fontLarge
            font.bold: true
            color: KbTheme.headerText
            wrapMode: Text.WordWrap
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        GridLayout {
            Layout.fillWidth: true
            Layout.margins: KbTheme.margin
            Layout.bottomMargin: 4
            visible: page.mode !== "finished"
            // The bar beside its captions when there is room, above them otherwise.
            columns: page.width > 1000 && KbTheme.scale <= 1.25 ? 3 : 2
            columnSpacing: KbTheme.spacing
            rowSpacing: 4
            KbProgress {
                objectName: "progressBar"
                Layout.fillWidth: true
                Layout.columnSpan: parent.columns === 3 ? 1 : 2
                value: page.controller.progress
            }
            Label {
                objectName: "locationState"
                Layout.fillWidth: parent.columns === 2
                wrapMode: Text.WordWrap
                text: page.controller.locationState === "recorded" ? KbTheme.tr.gps_recorded
                    : page.controller.locationState === "waiting" ? KbTheme.tr.gps_waiting : KbTheme.tr.gps_none
                font.pixelSize: KbTheme.fontSmall
                font.bold: page.controller.locationMissing
                color: page.controller.locationMissing ? KbTheme.error : KbTheme.textMuted
            }
            Label {
                text: page.mode === "review" ? KbTheme.tr.review
                    : page.controller.pageNumber + " / " + page.controller.pageTotal
                font.pixelSize: KbTheme.fontSmall
                color: KbTheme.textMuted
            }
        }

        AreaWarningBanner {
            objectName: "areaWarning"
            Layout.fillWidth: true
            Layout.leftMargin: KbTheme.margin
            Layout.rightMargin: KbTheme.margin
            controller: page.controller
        }

        Flickable {
            id: body
            property int lastPage: -1
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentWidth: width
            contentHeight: content.implicitHeight + 2 * KbTheme.margin
            clip: true
            boundsBehavior: Flickable.StopAtBounds
            // Only on a page that scrolls: a short page gets no full-height bar.
            ScrollBar.vertical: ScrollBar {
                policy: body.contentHeight > body.height + 1 ? ScrollBar.AlwaysOn : ScrollBar.AlwaysOff
            }

            ColumnLayout {
                id: content
                width: Math.min(body.width - 2 * KbTheme.margin, KbTheme.maxContentWidth)
                x: (body.width - width) / 2
                y: KbTheme.margin
                spacing: KbTheme.spacing * 2

                KbHeading {
                    objectName: "pageTitle"
                    visible: page.mode === "question" && text !== ""
                    text: page.controller.pageTitle
                    color: KbTheme.accent
                }
                // In an instance of an open-ended repeat: remove it, after a confirmation.
                KbButton {
                    objectName: "removeInstanceButton"
                    Layout.alignment: Qt.AlignLeft
                    visible: page.mode === "question" && page.controller.canRemoveInstance
                    danger: true
                    text: KbTheme.tr.repeat_remove.replace("%1", page.controller.pageTitle.split(" · ")[0])
                    onClicked: removeConfirm.open()
                }
                KbConfirm {
                    id: removeConfirm
                    objectName: "removeInstanceConfirm"
                    message: KbTheme.tr.repeat_remove_confirm.replace("%1", page.controller.pageTitle.split(" · ")[0])
                    confirmText: KbTheme.tr.repeat_remove_ok
                    onConfirmed: page.controller.removeInstance()
                }
                RepeatEndPanel {
                    Layout.fillWidth: true
                    visible: page.mode === "question" && page.controller.pageKind === "repeatEnd"
                    controller: page.controller
                }
                // A positioner, not a layout, around model-driven delegates: Qt 6.4's layouts can
                // touch a delegate the Repeater has just deleted when the page changes.
                Column {
                    id: questions
                    Layout.fillWidth: true
                    spacing: KbTheme.spacing * 2
                    Repeater {
                        model: page.mode === "question" ? page.controller.page : null
                        delegate: QuestionView {
                            width: questions.width
                            controller: page.controller
                            position: page.position
                        }
                    }
                }
                ReviewPanel {
                    Layout.fillWidth: true
                    visible: page.mode === "review"
                    controller: page.controller
                }
                FinishedPanel {
                    Layout.fillWidth: true
                    visible: page.mode === "finished"
                    controller: page.controller
                    onLeave: page.leave()
                }
            }
        }

        // Navigation stays put at the bottom, within thumb reach, whatever the page length.
        Rectangle {
            Layout.fillWidth: true
            visible: page.mode === "question" || page.mode === "review"
            implicitHeight: footer.implicitHeight + 2 * KbTheme.spacing
            color: KbTheme.surface
            border.width: Math.max(1, KbTheme.borderWidth)
            border.color: KbTheme.border
            ColumnLayout {
                id: footer
                anchors.fill: parent
                anchors.margins: KbTheme.spacing
                spacing: 8
                KbLabel {
                    objectName: "pageMessage"
                    visible: page.controller.message !== ""
                    text: "⚠ " + page.controller.message
                    color: KbTheme.error
                    font.bold: true
                }
                KbLabel {
                    objectName: "locationWarning"
                    visible: page.mode === "review" && page.controller.locationMissing
                    text: "⚠ " + KbTheme.tr.no_location_warning
                    color: KbTheme.error
                    font.bold: true
                }
                QuotaNotice {
                    visible: (page.mode === "question" || page.mode === "review") && page.controller.quotaNotice !== ""
                    controller: page.controller
                }
                KbLabel {
                    objectName: "refusalNote"
                    visible: page.mode === "question" && page.controller.refusal
                    text: KbTheme.tr.refusal_note
                    font.bold: true
                }
                RowLayout {
                    Layout.fillWidth: true
                    spacing: KbTheme.spacing
                    KbButton {
                        objectName: "backButton"
                        Layout.preferredWidth: footer.width * 0.3
                        enabled: page.controller.canGoBack
                        text: "‹ " + KbTheme.tr.back
                        onClicked: page.controller.back()
                    }
                    KbButton {
                        objectName: "toReviewButton"
                        Layout.fillWidth: true
                        visible: page.mode === "question" && page.controller.cameFromReview && !page.controller.refusal
                        text: KbTheme.tr.back_to_review
                        onClicked: page.controller.showReview()
                    }
                    KbButton {
                        objectName: "nextButton"
                        Layout.fillWidth: true
                        visible: page.mode === "question"
                        primary: true
                        text: page.controller.quotaHard ? KbTheme.tr.end_screened_out
                            : page.controller.refusal ? KbTheme.tr.end_refusal
                            : page.controller.pageKind === "repeatEnd" ? KbTheme.tr.repeat_no_more
                            : page.controller.atEnd ? KbTheme.tr.to_review : KbTheme.tr.next + " ›"
                        onClicked: page.controller.next()
                    }
                    KbButton {
                        objectName: "finaliseButton"
                        Layout.fillWidth: true
                        visible: page.mode === "review"
                        primary: true
                        text: page.controller.quotaHard ? KbTheme.tr.end_screened_out : KbTheme.tr.finalise
                        onClicked: page.controller.finalise()
                    }
                }
            }
        }
    }

    // Over the body's lower right corner, beside the scroll bar (a sibling of the layout: the
    // layout fills the page), where it covers the least of the question.
    KbScrollCue {
        flickable: body
        x: parent.width - width - 24
        y: body.y + body.height - height - 8
        z: 2
    }
}
