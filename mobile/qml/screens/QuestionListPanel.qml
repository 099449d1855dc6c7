// SPDX-License-Identifier: Apache-2.0
// The question list, reachable from any page (ODK Collect's "jump"): every relevant question
// with its answer; a tap goes straight to its page. The list itself comes from the core.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

Popup {
    id: popup
    required property InterviewController controller

    function show() {
        controller.refreshOutline()
        open()
    }

    parent: Overlay.overlay
    modal: true
    enter: Transition {}
    exit: Transition {}
    x: 0
    y: 0
    width: parent ? parent.width : 800
    height: parent ? parent.height : 600
    padding: KbTheme.margin
    background: Rectangle { color: KbTheme.background }

    contentItem: ColumnLayout {
        spacing: KbTheme.spacing
        RowLayout {
            Layout.fillWidth: true
            spacing: KbTheme.spacing
            KbHeading { big: true; text: KbTheme.tr.question_list_title }
            KbButton {
                objectName: "questionListClose"
                text: KbTheme.tr.close
                onClicked: popup.close()
            }
        }
        // A Flickable over a Column, not a ListView: every row exists, so any can be scrolled to.
        Flickable {
            id: list
            objectName: "questionListView"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            contentWidth: width
            contentHeight: rows.implicitHeight
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {
                policy: list.contentHeight > list.height + 1 ? ScrollBar.AlwaysOn : ScrollBar.AlwaysOff
            }
            Column {
                id: rows
                width: list.width - 16
                spacing: 8
                Repeater {
                    model: popup.controller.outline
                    delegate: AbstractButton {
                        id: row
                        required property string name
                        required property string label
                        required property string answer
                        objectName: "jump_" + name
                        width: rows.width
                        implicitHeight: Math.max(KbTheme.touchMin, rowCol.implicitHeight + 20)
                        leftPadding: 12
                        rightPadding: 12
                        topPadding: 10
                        bottomPadding: 10
                        onClicked: { popup.controller.goTo(name); popup.close() }
                        background: Rectangle {
                            radius: 6
                            color: KbTheme.surface
                            border.width: KbTheme.borderWidth
                            border.color: KbTheme.border
                        }
                        contentItem: ColumnLayout {
                            id: rowCol
                            spacing: 2
                            KbLabel { text: row.label; font.bold: true }
                            KbLabel {
                                text: row.answer !== "" ? row.answer : KbTheme.tr.not_answered
                                muted: row.answer === ""
                            }
                        }
                    }
                }
            }
        }
    }
}
