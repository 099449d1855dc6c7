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
    }

    header: Rectangle {
        implicitHeight: headerRow.implicitHeight + 16
        color: KbTheme.highContrast ? "#000000" : KbTheme.accent
        border.width: KbTheme.highContrast ? 2 : 0
        border.color: KbTheme.border
        RowLayout {
            id: headerRow
            anchors.fill: parent
            anchors.margins: 8
            spacing: 8
            KbButton {
                objectName: "pauseButton"
                visible: page.mode !== "finished"
                text: KbTheme.tr.pause
                onClicked: { page.controller.close(); page.leave() }
            }
            Label {
                Layout.fillWidth: true
                text: page.controller.formTitle
                font.pixelSize: KbTheme.fontLarge
                font.bold: true
                color: KbTheme.highContrast ? KbTheme.accent : "#FFFFFF"
                elide: Text.ElideRight
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
                        color: langButton.current ? (KbTheme.highContrast ? KbTheme.accent : "#FFFFFF") : "transparent"
                        border.width: 2
                        border.color: KbTheme.highContrast ? KbTheme.accent : "#FFFFFF"
                    }
                    contentItem: Label {
                        text: langButton.modelData.toUpperCase()
                        font.pixelSize: KbTheme.fontBody
                        font.bold: langButton.current
                        horizontalAlignment: Text.AlignHCenter
                        verticalAlignment: Text.AlignVCenter
                        color: langButton.current ? (KbTheme.highContrast ? "#000000" : KbTheme.accent) : "#FFFFFF"
                    }
                }
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: KbTheme.margin
            Layout.bottomMargin: 4
            visible: page.mode !== "finished"
            spacing: KbTheme.spacing
            ProgressBar {
                objectName: "progressBar"
                Layout.fillWidth: true
                from: 0
                to: 1
                value: page.controller.progress
            }
            Label {
                objectName: "locationState"
                text: page.controller.locationState === "recorded" ? KbTheme.tr.gps_recorded
                    : page.controller.locationState === "waiting" ? KbTheme.tr.gps_waiting : KbTheme.tr.gps_none
                font.pixelSize: KbTheme.fontSmall
                color: KbTheme.textMuted
            }
            Label {
                text: page.mode === "review" ? KbTheme.tr.review
                    : page.controller.pageNumber + " / " + page.controller.pageTotal
                font.pixelSize: KbTheme.fontSmall
                color: KbTheme.textMuted
            }
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
            ScrollBar.vertical: ScrollBar { policy: ScrollBar.AsNeeded }

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
                        text: page.controller.refusal ? KbTheme.tr.end_refusal
                            : page.controller.atEnd ? KbTheme.tr.to_review : KbTheme.tr.next + " ›"
                        onClicked: page.controller.next()
                    }
                    KbButton {
                        objectName: "finaliseButton"
                        Layout.fillWidth: true
                        visible: page.mode === "review"
                        primary: true
                        text: KbTheme.tr.finalise
                        onClicked: page.controller.finalise()
                    }
                }
            }
        }
    }
}
