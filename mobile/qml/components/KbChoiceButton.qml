// SPDX-License-Identifier: Apache-2.0
// One choice of a select/consent/likert question: a big target that shows clearly when chosen:
// a solid fill, a ring and a tick (colour alone is not enough in sunlight).
import QtQuick
import QtQuick.Controls
import Kerbside.Ui

AbstractButton {
    id: control
    property bool multiple: false // a tick box (select_multiple) instead of a round mark
    property bool compact: false  // likert: text centred, the tick in the corner
    checkable: false              // the model's value decides, so a tap never desynchronises

    readonly property color ink: !enabled ? KbTheme.disabledText : checked ? KbTheme.selectedText : KbTheme.text
    // Room the label has, for editors deciding whether their labels fit whole on a line.
    readonly property real labelWidth: label.width

    // compact: a row above the text for the tick, so a tick never covers a word.
    readonly property int tickRow: compact ? 22 : 0
    implicitHeight: Math.max(KbTheme.touchMin, label.implicitHeight + 24 + tickRow)
    implicitWidth: compact ? KbTheme.touchMin * 2 : 320
    font.pixelSize: KbTheme.fontBody
    focusPolicy: Qt.StrongFocus

    background: Rectangle {
        radius: 8
        color: control.checked ? KbTheme.selected : !control.enabled ? KbTheme.disabledBackground : KbTheme.surface
        border.width: control.checked ? KbTheme.borderWidth + 1 : KbTheme.borderWidth
        border.color: control.checked ? KbTheme.selectedBorder
                    : control.visualFocus ? KbTheme.accent
                    : !control.enabled ? KbTheme.disabledText : KbTheme.border
        opacity: control.down ? 0.8 : 1.0
    }
    contentItem: Item {
        implicitHeight: label.implicitHeight
        Rectangle {
            id: mark
            visible: !control.compact
            width: 30
            height: 30
            radius: control.multiple ? 4 : 15
            anchors.left: parent.left
            anchors.leftMargin: 8
            anchors.verticalCenter: parent.verticalCenter
            color: control.checked ? KbTheme.selectedText : "transparent"
            border.width: 3
            border.color: control.checked ? KbTheme.selectedText : control.ink
            Label {
                anchors.centerIn: parent
                visible: control.checked
                text: "✓"
                color: KbTheme.selected
                font.pixelSize: 22
                font.bold: true
            }
        }
        Label {
            objectName: "tick"
            visible: control.compact && control.checked
            anchors.horizontalCenter: parent.horizontalCenter
            anchors.top: parent.top
            anchors.topMargin: 4
            text: "✓"
            color: control.ink
            font.pixelSize: 22
            font.bold: true
        }
        Label {
            id: label
            text: control.text
            font: control.font
            color: control.ink
            wrapMode: Text.WordWrap
            horizontalAlignment: control.compact ? Text.AlignHCenter : Text.AlignLeft
            verticalAlignment: Text.AlignVCenter
            anchors.left: control.compact ? parent.left : mark.right
            anchors.leftMargin: control.compact ? 4 : 16
            anchors.right: parent.right
            anchors.rightMargin: 4
            anchors.verticalCenter: parent.verticalCenter
            anchors.verticalCenterOffset: control.tickRow / 2
        }
    }
}
