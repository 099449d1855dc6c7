// SPDX-License-Identifier: Apache-2.0
// Rank: the shown choices as a numbered list, each with big Up and Down buttons; every move
// stores the whole order (choice names separated by spaces, first first). Until the first move
// the list is in form order and "Keep this order" stores it as it is. The interview checks that
// every shown choice has a place.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

ColumnLayout {
    id: editor
    property string questionName
    property string value
    property var choices: []
    property bool readOnly: false
    signal answered(string value)
    spacing: 8

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
        delegate: RowLayout {
            required property var modelData
            required property int index
            Layout.fillWidth: true
            spacing: 8
            KbLabel {
                objectName: "rank_" + editor.questionName + "_" + modelData.name
                Layout.fillWidth: true
                text: (index + 1) + ". " + modelData.label
                font.bold: true
            }
            KbButton {
                objectName: "rankUp_" + editor.questionName + "_" + modelData.name
                text: KbTheme.tr.rank_up
                enabled: !editor.readOnly && index > 0
                onClicked: editor.move(index, index - 1)
            }
            KbButton {
                objectName: "rankDown_" + editor.questionName + "_" + modelData.name
                text: KbTheme.tr.rank_down
                enabled: !editor.readOnly && index < editor.ordered.length - 1
                onClicked: editor.move(index, index + 1)
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
