#!/usr/bin/env python3
# Writes the small seed corpora of tests/fuzz/corpus/<target>/ (committed; rerun only to
# change them). Protobuf messages are encoded by hand so that no Python protobuf is needed.
import hashlib, io, os, struct, zipfile

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, '..', '..'))

def put(target, name, data):
    d = os.path.join(here, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data if isinstance(data, bytes) else data.encode())

def varint(n):
    out = b''
    while True:
        b = n & 0x7f
        n >>= 7
        out += bytes([b | (0x80 if n else 0)])
        if not n:
            return out

def field(num, value):
    if isinstance(value, int):
        return varint(num << 3) + varint(value)
    if isinstance(value, str):
        value = value.encode()
    return varint((num << 3) | 2) + varint(len(value)) + value

# Batch decoder and USB envelope (as before).
put('fuzz_batch', 'format-only', b'\x08\x01')
put('fuzz_batch', 'batchfile-header', b'\x0a\x0ekerbside-batch\x10\x01')

# Form loader.
small = '''{"format": "kerbside-form/1", "id": "seed", "version": "1", "title": {"en": "Seed"},
"default_language": "en", "languages": ["en"],
"choices": {"yn": [{"name": "yes", "label": {"en": "Yes"}}, {"name": "no", "label": {"en": "No"}}]},
"questions": [
 {"name": "consent", "type": "consent", "label": {"en": "OK?"}, "choices": "yn"},
 {"name": "age", "type": "integer", "label": {"en": "Age"}, "constraint": ". >= 16 and . < 120"},
 {"type": "group", "name": "g", "label": {"en": "G"}, "relevant": "${age} > 18", "questions": [
   {"name": "when", "type": "date", "label": {"en": "When"}, "required": "true()"}]},
 {"name": "next", "type": "calculate", "calculation": "if(${age} > 0, ${age} + 1, 0)"}
]}
'''
put('fuzz_form', 'small.json', small)
with open(os.path.join(root, 'forms', 'demo-all-types.json'), 'rb') as f:
    put('fuzz_form', 'demo-all-types.json', f.read())
# A form whose select_one_from_file attachment was missing at import (an empty stand-in list).
put('fuzz_form', 'missing-attachment.json', '{"format": "kerbside-form/1", "id": "seed", "version": "1", '
    '"title": {"en": "Seed"}, "default_language": "en", "languages": ["en"], "choices": {"regions_csv": []}, '
    '"missing_attachments": {"regions.csv": "regions_csv"}, "questions": [{"name": "r", "type": "select_one", '
    '"label": {"en": "Region"}, "choices": "regions_csv"}]}\n')

# Expressions.
for i, e in enumerate([
        "${age} >= 18 and ${age} < 120", "selected(${transport}, 'bus')", "count-selected(.) <= 2",
        "if(${a} = '', 0, number(${a}) * 2.5)", "concat(${first}, ' ', substr(${last}, 0, 1))",
        "regex(., '^[0-9]{5}$')", "format-date(today(), '%Y-%m-%d')", "decimal-date-time(now()) - 1",
        "jr:choice-name(${area}, '${area}')", "round(pow(2, 10) div 3, 2) mod 7", "-(-(1))",
        "coalesce(${x}, string-length(translate('abc', 'ab', 'AB')))", "date('2024-02-29') + 365",
        "not(boolean-from-string('true')) or contains(normalize-space('  a  b '), 'a b')",
        "substring-before('a-b', '-') != substring-after('a-b', '-')", "int(-3.7) + floor(2.5) + ceiling(2.1)",
        "selected-at(${transport}, 1)", "once(random())", "min(1, 2, ${n}) + max(3, ${m})", "region = ${region}"]):
    put('fuzz_expression', 'e%02d' % i, e)

# .xlsx: a minimal XLSForm with shared strings and inline strings.
def sheet(rows):
    out = ['<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate(rows, 1):
        out.append('<row r="%d">' % r)
        for c, v in enumerate(row):
            ref = chr(ord('A') + c) + str(r)
            out.append('<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, v))
        out.append('</row>')
    out.append('</sheetData></worksheet>')
    return ''.join(out)
buf = io.BytesIO()
with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    z.writestr('_rels/.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr('xl/workbook.xml', '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="survey" sheetId="1" r:id="rId1"/><sheet name="choices" sheetId="2" r:id="rId2"/><sheet name="settings" sheetId="3" r:id="rId3"/></sheets></workbook>')
    z.writestr('xl/_rels/workbook.xml.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet3.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    z.writestr('xl/sharedStrings.xml', '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>label</t></si></sst>')
    z.writestr('xl/worksheets/sheet1.xml', sheet([
        ['type', 'name', 'label', 'relevant', 'constraint'],
        ['integer', 'age', 'Age', '', '. &gt; 0'],
        ['select_one yn', 'ok', 'OK?', '${age} &gt; 18', ''],
        ['begin_group', 'g', 'Group', '', ''], ['text', 'who', 'Who', '', ''], ['end_group', '', '', '', '']]))
    z.writestr('xl/worksheets/sheet2.xml', sheet([['list_name', 'name', 'label'], ['yn', 'yes', 'Yes'], ['yn', 'no', 'No']]))
    z.writestr('xl/worksheets/sheet3.xml', sheet([['form_id', 'version', 'form_title'], ['seed', '1', 'Seed']]))
put('fuzz_xlsx', 'seed.xlsx', buf.getvalue())

# The device store's packed answers (shared/store/packedanswers.h): "KA\x01\x00", revision,
# count, (len, question, len, value)*, CRC-32. An input starting with 'F' gets its CRC appended.
import zlib
def store_answers(revision, answers):
    body = b'KA\x01\x00' + struct.pack('<II', revision, len(answers))
    for q, v in answers:
        for s in (q.encode(), v.encode()):
            body += struct.pack('<I', len(s)) + s
    return body + struct.pack('<I', zlib.crc32(body))
put('fuzz_storeanswers', 'two', store_answers(1, [('age', '42'), ('name', 'Zoë')]))
put('fuzz_storeanswers', 'empty', store_answers(3, []))
put('fuzz_storeanswers', 'crc-appended', b'F' + store_answers(2, [('q', 'v')])[:-4])

# The device store's packed paradata (shared/store/packedparadata.h): "KP\x01\x00", revision,
# count, (time ms i64, kind u8, len, question, len, detail)*, CRC-32. Kinds: 0 shown, 1 changed,
# 2 language switched, 3 resumed, 4 finalised. An input starting with 'F' gets its CRC appended.
def store_paradata(revision, events):
    body = b'KP\x01\x00' + struct.pack('<II', revision, len(events))
    for t, kind, q, detail in events:
        body += struct.pack('<qB', t, kind)
        for s in (q.encode(), detail.encode()):
            body += struct.pack('<I', len(s)) + s
    return body + struct.pack('<I', zlib.crc32(body))
put('fuzz_storeparadata', 'events', store_paradata(1, [(1714726800123, 0, 'age', ''), (1714726801000, 1, 'age', ''),
                                                       (1714726802000, 2, '', 'cy'), (1714726803000, 4, '', '')]))
put('fuzz_storeparadata', 'empty', store_paradata(2, []))
put('fuzz_storeparadata', 'crc-appended', b'F' + store_paradata(1, [(-5, 3, 'ü', 'x')])[:-4])

# Answer packs (sync/collector/answerpack.h): 0x01, then (len, name, type, len, value)*.
def pack(answers):
    out = b'\x01'
    for name, kind, value in answers:
        out += varint(len(name)) + name.encode() + bytes([kind]) + varint(len(value.encode())) + value.encode()
    return out
put('fuzz_answerpack', 'empty', b'\x01')
put('fuzz_answerpack', 'three', pack([('age', 2, '34'), ('name', 1, 'Ana'), ('when', 5, '2024-05-01')]))
# Format 2 against seedform.h's form (sorted names: age, best, consent, likes; 4 of
# them): age literal "34", best choice 2 (fig), consent choice 0, likes choices 0 and 1, and
# a name the dictionary lacks ("member[1]/x") with a literal value.
put('fuzz_answerpack', 'dictionary', b'\x02' + varint(4) + varint(1) + bytes([3]) + varint(2 << 2) + b'34'
    + varint(2) + bytes([2]) + varint((2 << 2) | 1) + varint(3) + bytes([2]) + varint(1)
    + varint(4) + bytes([5]) + varint((2 << 2) | 2) + varint(0) + varint(1)
    + varint(0) + varint(11) + b'member[1]/x' + bytes([1]) + varint(1 << 2) + b'v')

# Paradata packs (sync/collector/paradatapack.h): 0x01, varint dictionary size, then per event
# a head byte (kind | 0x08 no time | 0x10 detail), a zigzag time delta, varint q, the detail.
# Against seedform.h's form (sorted names: age, best, consent, likes): shown consent
# (q 2 + 2) at +1 s, changed consent at +2.5 s, a language switch to "pl", changed a spelt-out
# repeat key without a time, finalised 1 s earlier than the event before (a negative delta).
put('fuzz_paradatapack', 'empty', b'')
put('fuzz_paradatapack', 'events', b'\x01' + varint(4) + bytes([0]) + varint(2000) + varint(4)
    + bytes([1]) + varint(3000) + varint(4) + bytes([2 | 0x10]) + varint(200) + varint(0) + varint(2) + b'pl'
    + bytes([1 | 0x08]) + varint(1) + varint(11) + b'member[1]/x' + bytes([4]) + varint(1999) + varint(0))

# Acknowledgements (BatchAck) and form manifests (FormManifest), kerbside/v1/sync.proto.
uuid = bytes(range(16))
item = field(1, uuid) + field(2, 1) + field(4, 1)
put('fuzz_ack', 'accepted', field(1, 1) + field(2, uuid) + field(3, 1) + field(5, item))
put('fuzz_ack', 'rejected', field(1, 1) + field(2, uuid) + field(5, field(1, uuid) + field(2, 4) + field(3, 'no')))
put('fuzz_ack', 'text-uuid', field(1, 1) + field(2, uuid) + field(6, field(5, '00010203-0405-0607-0809-0a0b0c0d0e0f') + field(2, 2)))
form = small.encode()
published = field(1, 'seed') + field(2, '1') + field(3, 'cs1') + field(4, form) + field(5, hashlib.sha256(form).digest()) + field(7, 'Seed')
put('fuzz_manifest', 'one-form', field(1, 1) + field(2, published))
put('fuzz_manifest', 'bad-hash', field(1, 1) + field(2, field(1, 'seed') + field(2, '2') + field(4, form) + field(5, b'\0' * 32)))
put('fuzz_manifest', 'no-body', field(1, 1) + field(2, field(1, '../x') + field(2, '1')))

# select_one_from_file attachments: CSV (quotes, CRLF, a BOM, a multi-line field) and item XML.
put('fuzz_choicefile', 'households.csv', 'name,label,district\nn1,"North, upper",d1\r\nn2,"Say ""hi""",d2\n')
put('fuzz_choicefile', 'bom.csv', b'\xef\xbb\xbfname,label::English (en),label::Polski (pl)\na,A,\nb,"B\nline",Bb\n')
put('fuzz_choicefile', 'items.xml', '<root><item><name>a</name><label>A</label><zone>n</zone></item>'
    '<item><name>b</name><label>B</label></item></root>')

# The batch log's stored form (sync/collector/batchlog.h): 0x00 0x01 + a zstd frame with its
# content size and checksum (the zstd tool writes both when it reads a file), and a plain row.
def zstd_frame(data):
    import subprocess, tempfile
    with tempfile.NamedTemporaryFile() as f:
        f.write(data)
        f.flush()
        return subprocess.run(['zstd', '-q', '-1', '--check', '-c', f.name], check=True, capture_output=True).stdout

logged = field(1, 1) + field(2, field(1, 'dev-1') + field(2, 7)) + field(3, 'voxpop ' * 40)
put('fuzz_batchlog', 'plain', logged)
put('fuzz_batchlog', 'packed', b'\x00\x01' + zstd_frame(logged))
put('fuzz_batchlog', 'packed-empty', b'\x00\x01' + zstd_frame(b''))
put('fuzz_batchlog', 'unknown-format', b'\x00\x02' + zstd_frame(logged))
