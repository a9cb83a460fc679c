#!/usr/bin/env python3
"""Generates seeds/sample-district.json: a made-up district (示例区) for demonstration and tests.

SAMPLE DATA ONLY: every name, address, phone number and password here is invented. Re-run after editing:
    python3 seeds/tools/generate_sample_district.py > seeds/sample-district.json
The output is deterministic (no randomness), so the file's hash only changes when this script does.
"""
import json

TOWNSHIPS = [
    ("东城街道", "Subdistrict"), ("西城街道", "Subdistrict"), ("李口镇", "Township"), ("郭村镇", "Township"),
    ("高辛镇", "Township"), ("坞墙镇", "Township"), ("冯桥镇", "Township"), ("包公庙乡", "Township"),
    ("路河乡", "Township"), ("闫集乡", "Township"),
]
VILLAGE_STEMS = ["王庄", "李楼", "张营", "刘集", "陈寨", "杨湾", "赵岗", "孙店", "周桥", "吴洼", "郑寨"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高"
GIVEN = ["建国", "秀英", "志强", "桂兰", "海涛", "丽娟", "明", "静", "伟", "芳", "军", "敏", "磊", "娜", "勇", "艳", "杰", "霞", "涛", "玲"]

CATEGORIES = [
    {"code": "administrative", "name": "行政", "nameEn": "Administrative", "icon": "Stamp"},
    {"code": "medical", "name": "医疗", "nameEn": "Medical", "icon": "FirstAidKit"},
    {"code": "legal", "name": "法律", "nameEn": "Legal", "icon": "Scale"},
    {"code": "agriculture", "name": "农技", "nameEn": "Agricultural technology", "icon": "Sugar"},
    {"code": "employment", "name": "就业", "nameEn": "Employment", "icon": "Suitcase"},
]

# (department code, name, category, number of expert stations)
DEPARTMENTS = [
    ("dept-health", "区卫生健康委员会", "medical", 8),
    ("dept-justice", "区司法局", "legal", 6),
    ("dept-service", "区政务服务中心", "administrative", 6),
    ("dept-agri", "区农业农村局", "agriculture", 4),
    ("dept-hrss", "区人力资源和社会保障局", "employment", 4),
]
# The remaining 10 stations: one township health centre per township (medical).
STATION_TITLES = {"medical": "主治医师", "legal": "律师", "administrative": "政务服务专员", "agriculture": "农艺师", "employment": "就业指导员"}
DUTY_PATTERNS = [
    [("Monday", "08:30", "12:00"), ("Wednesday", "08:30", "12:00"), ("Friday", "14:30", "17:30")],
    [("Tuesday", "08:30", "12:00"), ("Thursday", "14:30", "17:30"), ("Saturday", "09:00", "12:00")],
]


def person_name(i):
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]


def main():
    org_units, sites, people, experts, endpoints, devices = [], [], [], [], [], []
    org_units.append({"code": "district", "name": "示例区", "kind": "District", "parent": None})
    org_units.append({"code": "orgdept", "name": "区委组织部", "kind": "Department", "parent": "district"})
    for code, name, _, _ in DEPARTMENTS:
        org_units.append({"code": code, "name": name, "kind": "Department", "parent": "district"})

    def add_site(code, name, kind, org, address, categories=None, sip=None, devs=()):
        site = {"code": code, "name": name, "kind": kind, "orgUnit": org, "address": address}
        if categories:
            site["categories"] = categories
        sites.append(site)
        if sip:
            endpoints.append({"site": code, "kind": "Sip", "sipUser": sip, "displayName": name + " 视频话机", "password": "Sample-" + sip})
        if kind in ("VillageKiosk", "ExpertStation"):
            endpoints.append({"site": code, "kind": "Web", "displayName": name + (" 自助终端" if kind == "VillageKiosk" else " 专家端")})
        for d in devs:
            devices.append(dict(d, site=code))

    camera = {"code": "cam1", "name": "云台摄像机", "kind": "Camera", "driver": "visca-serial", "port": "/dev/ttyUSB0", "address": 1, "options": {"baud": 9600}}
    display = {"code": "disp1", "name": "会议显示屏", "kind": "Display", "driver": "samsung-mdc-tcp", "host": "192.0.2.10", "address": 1, "options": {"tcpPort": 1515}}
    projector = {"code": "proj1", "name": "投影机", "kind": "Display", "driver": "pjlink", "host": "192.0.2.11", "options": {"tcpPort": 4352}}
    kiosk_devs = [
        {"code": "cam1", "name": "摄像头", "kind": "Camera", "driver": "visca-serial", "port": "/dev/ttyUSB0", "address": 1, "options": {"baud": 9600}},
        {"code": "idreader", "name": "身份证阅读器", "kind": "CardReader", "driver": "idcard-serial", "port": "/dev/ttyUSB1", "options": {"baud": 115200}},
        {"code": "icreader", "name": "IC卡读卡器", "kind": "CardReader", "driver": "em4100-serial", "port": "/dev/ttyUSB2", "options": {"baud": 9600}},
        {"code": "callbtn", "name": "呼叫按钮", "kind": "Button", "driver": "evdev", "port": "/dev/input/by-id/usb-call-button-event-kbd"},
        {"code": "lamp", "name": "通话指示灯", "kind": "Relay", "driver": "lcus-relay", "port": "/dev/ttyUSB3", "address": 1, "options": {"baud": 9600}},
        {"code": "rating", "name": "满意度评价器", "kind": "SatisfactionKeys", "driver": "evdev", "port": "/dev/input/by-id/usb-rating-keys-event-kbd", "options": {"keys": {"KEY_1": "满意", "KEY_2": "一般", "KEY_3": "不满意"}}},
    ]

    add_site("site-district-centre", "示例区指挥中心", "DistrictCentre", "orgdept", "示例区人民路1号", sip="8000", devs=[camera, display])
    add_site("site-district-room", "区委组织部一号会议室", "MeetingRoom", "orgdept", "示例区人民路1号三楼", sip="8001", devs=[camera, projector])

    village_no = 0
    for t, (tname, tkind) in enumerate(TOWNSHIPS, start=1):
        tcode = f"tw-{t:02d}"
        org_units.append({"code": tcode, "name": tname, "kind": tkind, "parent": "district"})
        org_units.append({"code": f"{tcode}-pc", "name": tname + "党委", "kind": "PartyCommittee", "parent": tcode})
        add_site(f"site-{tcode}-centre", tname + "便民服务中心", "TownshipCentre", tcode, f"示例区{tname}政府大院", sip=f"81{t:02d}", devs=[camera, display])
        add_site(f"site-{tcode}-room", tname + "党员活动室", "MeetingRoom", tcode, f"示例区{tname}政府二楼", sip=f"83{t:02d}", devs=[camera, display])
        for v in range(1, 11):
            village_no += 1
            stem = VILLAGE_STEMS[(t * 3 + v) % len(VILLAGE_STEMS)]
            vkind = "Community" if tkind == "Subdistrict" else "Village"
            vname = f"{stem}{'社区' if vkind == 'Community' else '村'}"
            vname = f"{tname[:2]}{vname}" if v > 5 else vname
            vcode = f"{tcode}-v{v:02d}"
            org_units.append({"code": vcode, "name": vname, "kind": vkind, "parent": tcode})
            org_units.append({"code": f"{vcode}-pb", "name": vname + "党支部", "kind": "PartyBranch", "parent": vcode})
            add_site(f"site-{vcode}-kiosk", vname + "服务面对面终端", "VillageKiosk", vcode, f"示例区{tname}{vname}党群服务中心", sip=f"82{village_no:03d}", devs=kiosk_devs)

    station_no, person_no = 0, 0

    def add_station(org, name, category, address):
        nonlocal station_no, person_no
        station_no += 1
        code = f"es-{station_no:02d}"
        add_site(code, name, "ExpertStation", org, address, categories=[category], sip=f"86{station_no:02d}", devs=[camera])
        for k in range(2):
            person_no += 1
            pcode = f"person-{person_no:03d}"
            people.append({"code": pcode, "name": person_name(person_no), "orgUnit": org, "phone": f"1390000{person_no:04d}"})
            experts.append({
                "code": f"expert-{person_no:03d}", "person": pcode, "station": code, "category": category,
                "title": STATION_TITLES[category],
                "duty": [{"day": d, "start": s, "end": e} for d, s, e in DUTY_PATTERNS[k]],
            })

    for dcode, dname, category, count in DEPARTMENTS:
        for n in range(1, count + 1):
            add_station(dcode, f"{dname}服务面对面{n}号工作站", category, f"示例区{dname}")
    for t, (tname, _) in enumerate(TOWNSHIPS, start=1):
        add_station(f"tw-{t:02d}", f"{tname}卫生院服务面对面工作站", "medical", f"示例区{tname}卫生院")

    assert station_no == 38, station_no
    doc = {
        "sample": True,
        "note": "示例数据（SAMPLE DATA）：虚构的区、乡镇、村、人员与口令，仅供演示和测试。Invented district for demos and tests.",
        "name": "示例区 sample district",
        "categories": CATEGORIES,
        "orgUnits": org_units,
        "sites": sites,
        "people": people,
        "experts": experts,
        "endpoints": endpoints,
        "devices": devices,
    }
    print(json.dumps(doc, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
