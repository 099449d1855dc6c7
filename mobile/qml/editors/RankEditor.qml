// SPDX-License-Identifier: Apache-2.0
// Rank: the shown choices as a numbered list, each with big Up and Down buttons; every move
// stores the whole order (choice names separated by spaces, first first). Until the first move
// the list is in form order and "Keep this order" stores it as it is. The interview checks that
// every shown choice has a place.
import QtQuick
import QtQuick.Layouts
import Kerbside.Ui

ColumnLayout {
    id: editor
    property string questionName
    property string value
    property var choices: []
    property bool readOnly: false
    signal answered(string value)
    spacing: KbTheme.spacing

    // The choices in the stored order; any not in the answer (yet) follow in form order.
    readonly property var ordered: {
        const stored = value === "" ? [] : value.split(" ")
        const out = []
        for (const name of stored) {
            const c = choices.find(x => x.name === name)
            if (c)
                out.push(c)
        }
        for (const c of choices) {
            if (stored.indexOf(c.name) < 0)
                out.push(c)
        }
        return out
    }

    function move(from, to) {
        const names = ordered.map(c => c.name)
        const [item] = names.splice(from, 1)
        names.splice(to, 0, item)
        answered(names.join(" "))
    }

    Repeater {
        model: editor.ordered
        // Each choice in its own bordered box, a gap between boxes: a wet thumb can tell which
        // choice an Up or Down belongs to, and misses land on the gap, not the next row.
        delegate: Rectangle {
            id: item
            required property var modelData
            required property int index
            Layout.fillWidth: true
            implicitHeight: row.implicitHeight + 16
            radius: 8
            color: KbTheme.surface
            border.width: KbTheme.borderWidth
            border.color: KbTheme.border
            RowLayout {
                id: row
                anchors.fill: parent
                anchors.margins: 8
                anchors.leftMargin: 16
                spacing: 12
                KbLabel {
                    objectName: "rank_" + editor.questionName + "_" + item.modelData.name
                    Layout.fillWidth: true
                    text: (item.index + 1) + ". " + item.modelData.label
                    font.bold: true
                }
                KbButton {
                    objectName: "rankUp_" + editor.questionName + "_" + item.modelData.name
                    text: "▲ " + KbTheme.tr.rank_up
                    enabled: !editor.readOnly && item.index > 0
                    onClicked: editor.move(item.index, item.index - 1)
                }
                KbButton {
                    objectName: "rankDown_" + editor.questionName + "_" + item.modelData.name
                    text: "▼ " + KbTheme.tr.rank_down
                    enabled: !editor.readOnly && item.index < editor.ordered.length - 1
                    onClicked: editor.move(item.index, item.index + 1)
                }
            }
        }
    }
    KbButton {
        objectName: "rankKeep_" + editor.questionName
        Layout.fillWidth: true
        visible: editor.value === "" && !editor.readOnly && editor.choices.length > 0
        text: KbTheme.tr.rank_keep
        onClicked: editor.answered(editor.ordered.map(c => c.name).join(" "))
    }
}
