// SPDX-License-Identifier: Apache-2.0
// "More below" at the bottom edge of a Flickable while part of the page is out of sight; a tap
// scrolls most of a screen down. Sits over the flickable (anchor it to its bottom).
import QtQuick
import QtQuick.Controls
import Kerbside.Ui

AbstractButton {
    id: cue
    required property Flickable flickable
    readonly property bool more: flickable.contentHeight > flickable.height + 1
                                 && flickable.contentY + flickable.height < flickable.contentHeight - 4
    objectName: "scrollCue"
    visible: more
    implicitHeight: KbTheme.touchMin
    implicitWidth: cueLabel.implicitWidth + 48
    onClicked: flickable.contentY = Math.min(flickable.contentHeight - flickable.height,
                                             flickable.contentY + flickable.height * 0.8)
    background: Rectangle {
        radius: height / 2
        color: KbTheme.accent
        border.width: 2
        border.color: KbTheme.accentText
    }
    contentItem: Label {
        id: cueLabel
        text: "▼ " + KbTheme.tr.more_below
        font.pixelSize: KbTheme.fontBody
        font.bold: true
        color: KbTheme.accentText
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
    }
}
