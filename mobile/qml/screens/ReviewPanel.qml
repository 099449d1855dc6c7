// SPDX-License-Identifier: Apache-2.0
// Review: every answer read back; tap one to go back and change it.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

ColumnLayout {
    id: panel
    required property InterviewController controller
    spacing: 8

    KbHeading { big: true; text: KbTheme.tr.review_title }
    KbLabel {
        text: panel.controller.review.issueCount > 0 ? KbTheme.tr.review_has_issues : KbTheme.tr.review_hint
        color: panel.controller.review.issueCount > 0 ? KbTheme.error : KbTheme.textMuted
        font.bold: panel.controller.review.issueCount > 0
    }
    Column {
        id: rows
        Layout.fillWidth: true
        spacing: 8
        Repeater {
            model: panel.controller.review
            delegate: AbstractButton {
                id: row
                required property string name
                required property string label
                required property string answer
                required property string issue
                objectName: "review_" + name
                width: rows.width
                implicitHeight: Math.max(KbTheme.touchMin, rowCol.implicitHeight + 20)
                onClicked: panel.controller.jumpTo(name)
                background: Rectangle {
                    radius: 6
                    color: KbTheme.surface
                    border.width: row.issue !== "" ? 3 : Math.max(1, KbTheme.borderWidth)
                    border.color: row.issue !== "" ? KbTheme.error : KbTheme.border
                }
                contentItem: ColumnLayout {
                    id: rowCol
                    spacing: 2
                    KbLabel { text: row.label; muted: true; font.pixelSize: KbTheme.fontSmall }
                    KbLabel {
                        text: row.answer !== "" ? row.answer : "—"
                        font.bold: true
                    }
                    KbLabel {
                        visible: row.issue !== ""
                        text: "⚠ " + row.issue
                        color: KbTheme.error
                    }
                }
                leftPadding: 12
                rightPadding: 12
                topPadding: 10
                bottomPadding: 10
            }
        }
    }
}
