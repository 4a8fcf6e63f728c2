#!/usr/bin/env python3
"""Writes assets.csv from the Chaoyang equipment list, table 1-2 of seed 004, kept verbatim in table-1-2.tsv:
one row per unit, placed into the rooms and racks of places.csv (racks A01 and A04 are the list's two cabinets,
items 4 and 53, which are registered as assets of their own too: CAB-A01, CAB-A04). Make and model are normalised for searching,
so every row also keeps its source line's own words as attributes: item (表1-2#N), 内容, 规格, 数量 and
原产地、制造商. Where the register departs from the list (a line split into several assets, a make that is not
the list's), an attribute says how and why."""
import csv, os, sys

here = os.path.dirname(os.path.abspath(__file__))
SOURCE = {}
with open(os.path.join(here, "table-1-2.tsv"), encoding="utf-8") as f:
    lines = [l.rstrip("\n") for l in f if not l.startswith("#")]
assert lines[0].split("\t") == ["序号", "内容", "规格", "计量单位", "数量", "原产地、制造商"], lines[0]
for line in lines[1:]:
    no, content, spec, unit, qty, maker = line.split("\t")
    SOURCE[int(no)] = {"内容": content.strip(), "规格": spec.strip(), "数量": f"{qty.strip()} {unit.strip()}", "原产地、制造商": maker.strip()}

OWNER = "城管委信息中心"
rows = []
used = set()

def add(tag, cat, make, model, room, rack="", pos="", h=1, item=0, warranty="", extra=None, status="in_service", contract=""):
    attrs = {"item": f"表1-2#{item}"}
    attrs.update({k: v for k, v in SOURCE[item].items() if v})
    attrs.update(extra or {})
    for k, v in attrs.items():
        # The CSV's attributes are key=value pairs joined by ';'.
        assert ";" not in k + v and "=" not in k + v, (tag, k, v)
    used.add(item)
    rows.append([tag, cat, make, model, "", room, rack, pos, h, status, "", OWNER, "", warranty, contract,
                 ";".join(f"{k}={v}" for k, v in attrs.items())])

def many(prefix, n, width=2, **kw):
    for i in range(1, n + 1):
        add(f"{prefix}-{i:0{width}d}", **kw)

for i in range(6):
    add(f"APP-SRV-{i+1:02d}", "server", "IBM", "System x3650", "CY-DC1", "A02", 2 + 2 * i, 2, 1, "2027-01-31", contract="IBM 原厂维保")
for i in range(2):
    add(f"ADV-SRV-{i+1:02d}", "server", "IBM", "System x3650", "CY-DC1", "A02", 16 + 2 * i, 2, 2, "2027-01-31", contract="IBM 原厂维保")
many("LAPTOP", 5, cat="pc", make="联想", model="ThinkPad T410i 2516A38", room="CY-OFFICE", item=3)
# Item 4 is one line for the core cabinet with its KVM and PDU: three assets, the cabinet being rack A01 itself.
CORE = {"拆分": "清单一行（核心机柜含 8 口 KVM、PDU）登记为机柜 CAB-A01、KVM-01 与 PDU-A01"}
# The cabinets stand in the room; each is the rack of its code (its attribute rack), not an occupant of it.
add("CAB-A01", "other", "国产", "核心机柜", "CY-DC1", "", "", 0, 4, extra={"type": "rack", "rack": "A01", **CORE})
add("KVM-01", "kvm", "国产", "8 口 KVM", "CY-DC1", "A01", 20, 1, 4, extra={"installed_in": "CAB-A01", **CORE})
add("PDU-A01", "pdu", "国产", "机柜 PDU", "CY-DC1", "A01", "", 0, 4, extra={"installed_in": "CAB-A01", **CORE})
add("DB-SRV-01", "server", "IBM", "System x3250 M3", "CY-DC1", "A02", 22, 1, 5, "2026-12-31")
add("MON-01", "other", "", "19 英寸宽屏液晶显示器", "CY-DC1", "A01", 21, 1, 6, extra={"type": "monitor"})
many("LIGHT-CTL", 15, cat="other", make="", model="智能照明控制器", room="CY-FIELD", item=7)
many("CTL-BOX", 15, cat="other", make="", model="控制箱", room="CY-FIELD", item=8)
many("DLP", 4, cat="display_wall", make="威创", model="T-DGS50X2+ 超薄型 DLP 显示屏", room="CY-CMD", item=11)
many("DLP-BASE", 2, cat="display_wall", make="威创", model="DLP 大屏底座（定制）", room="CY-CMD", item=12)
many("DLP-CARD", 4, cat="display_wall", make="威创", model="USER-DLP-DVI/RGB 环接卡", room="CY-CMD", item=13)
add("WALL-SW-01", "other", "威创", "Vtron Display Wall Administration System V4.2", "CY-CMD", item=14, extra={"type": "software"})
add("WALL-CTL-01", "pc", "联想", "开天 M6900", "CY-CMD", item=15)
add("CENTRAL-CTL-01", "other", "国产", "CR-PACK PGM 套装 2 集中控制器", "CY-CMD", item=16)
add("PDC-01", "pdu", "国产", "输出配电柜（定制）", "CY-DC1", item=17)
add("UPS-01", "ups", "山特", "1500KVA / 4 小时后备", "CY-DC1", item=18, warranty="2027-02-15", contract="山特电池巡检")
add("LED-01", "display_wall", "国产", "Φ3.73 三基色 LED 显示屏", "CY-CMD", item=19, extra={"area_m2": "1.5"})
add("AC-01", "other", "格力", "1 匹冷暖空调", "CY-CMD", item=20, extra={"type": "comfort_ac"})
add("AC-02", "other", "格力", "1 匹冷暖空调", "CY-OFFICE", item=20, extra={"type": "comfort_ac"})
add("AC-03", "other", "格力", "1.5P 壁挂式空调", "CY-OFFICE", item=21, extra={"type": "comfort_ac"})
add("AVAYA-S8300C", "server", "AVAYA", "S8300C 多媒体服务器", "CY-DC1", "A03", 2, 1, 22)
for tag, model, item in [("AVAYA-LIC-PORTS", "50 甲方端口使用许可", 23), ("AVAYA-SW-PORTS", "JSD SS 甲方端口软件", 24),
                         ("AVAYA-LIC-AGENT", "呼叫中心精英坐席使用许可", 30), ("AVAYA-SW-AGENT", "JSD SS 呼叫中心精英坐席软件", 31),
                         ("AVAYA-MEDIA", "系统安装光盘", 27)]:
    add(tag, "other", "AVAYA", model, "CY-DC1", item=item, extra={"type": "software"})
add("AVAYA-DVD", "other", "AVAYA", "光盘驱动器", "CY-DC1", item=25)
add("AVAYA-MODEM", "other", "AVAYA", "系统 MODEM", "CY-DC1", "A03", 3, 1, 26)
add("AVAYA-TRUNK", "other", "AVAYA", "模拟中继/甲方板（各 4 端口）", "CY-DC1", item=28)
add("AVAYA-G430", "router", "AVAYA", "G430 多媒体网关", "CY-DC1", "A03", 4, 3, 29)
add("AVAYA-HEADSETS", "other", "AVAYA", "坐席拨号盘、耳机及连接线", "CY-CMD", item=32)
add("REC-01", "other", "AVAYA", "Unison 录音系统（4 端口，模拟并线方式）忙音检测器 后备音乐源", "CY-DC1", "A03", 8, 2, 33)
add("FW-01", "firewall", "天元龙马", "TYLM-FW-8000", "CY-DC1", "A04", 38, 1, 34, "2026-12-20", contract="安全设备维保")
add("IDS-01", "ids_ips", "天元龙马", "TYLM-IDS-1000", "CY-DC1", "A04", 36, 1, 35, "2026-12-20", contract="安全设备维保")
add("AUDIT-01", "audit_appliance", "天元龙马", "TYLM-TERII-A3000", "CY-DC1", "A04", 34, 1, 36)
add("DBAUDIT-01", "audit_appliance", "安恒", "明御 DAS-A1000", "CY-DC1", "A04", 32, 1, 37)
add("TACS-01", "other", "天元龙马", "TYLM-TACS-3000 流量分析控制", "CY-DC1", "A04", 30, 1, 38, extra={"type": "traffic_control"})
for i in range(5):
    add(f"ENC-{i+1:02d}", "camera", "海康", "DS-6101HF-SATA 单路视频编码器", "CY-DC1", "A03", 12 + i, 1, 41)
    add(f"HDD-{i+1:02d}", "other", "希捷", "1T 硬盘", "CY-DC1", item=42, extra={"installed_in": f"ENC-{i+1:02d}"})
many("KB", 5, cat="other", make="明景", model="MG-K102 控制键盘", room="CY-CMD", item=43)
many("PSU", 5, cat="other", make="国产", model="220V AC 1000W 电源适配器", room="CY-DC1", item=44)
add("ENV-WS-01", "pc", "恒兴", "CCCS2000 动力环境监控工作站", "CY-DC1", item=45)
for tag, model, item in [("ENV-MOD-M", "CCCS2000-M 配置管理与审计模块", 46), ("ENV-MOD-S", "CCCS2000-S 烟雾检测软件模块", 47),
                         ("ENV-MOD-J", "CCCS2000-J 浸水检测软件模块", 48)]:
    add(tag, "other", "恒兴", model, "CY-DC1", item=item, extra={"type": "software"})
add("ENV-GSM-01", "other", "恒兴", "GSM-M 短信报警模块", "CY-DC1", item=49)
many("SMOKE", 7, cat="environmental_sensor", make="恒兴", model="SS-668 烟雾感应器", room="CY-DC1", item=50)
add("WATER-01", "environmental_sensor", "恒兴", "JS-BP 水浸感应器", "CY-DC1", item=51)
add("ALARM-01", "environmental_sensor", "恒兴", "声光报警器", "CY-DC1", item=52)
add("CAB-A04", "other", "图腾", "网络机柜 900*600*2000mm", "CY-DC1", "", "", 0, 53, extra={"type": "rack", "rack": "A04"})
rooms = ["CY-OFFICE"] * 6 + ["CY-ZTZ"] * 2 + ["CY-JTZX"] * 2
# The list counts PCs and printers together; the split is ours, and every one of the 340 rows says so.
SPLIT54 = {"拆分": "清单一行 340 台（个人电脑及打印设备，未分列）按 300 台个人电脑 PC-001…PC-300 与 40 台打印机 PRN-001…PRN-040 登记"}
for i in range(1, 341):
    printer = i > 300
    add(f"PRN-{i-300:03d}" if printer else f"PC-{i:03d}", "printer" if printer else "pc", "联想",
        "联想打印设备" if printer else "联想个人电脑", rooms[i % 10], item=54, extra=SPLIT54)
for i in range(1, 73):
    add(f"UPS-S-{i:02d}", "ups", "联想", "7200W UPS 及电池", rooms[i % 10], item=55)
add("VPN-01", "router", "CSTK", "SJW08 VPN", "CY-DC1", "A04", 28, 1, 56)
add("VPN-02", "router", "CSTK", "SJW08 VPN", "CY-DC1", "A04", 26, 1, 56)
add("ONT-01", "router", "江南信安", "政务网入网光猫", "CY-DC1", "A04", 24, 1, 57)
# The list names RAISECOM (a network vendor) as the maker; the units answer as Liebert/Vertiv precision AC
# (the liebert-ac profile ops/run.d/60-telemetry polls them with), so that is the make registered.
PAC = {"品牌说明": "清单制造商栏为 RAISECOM；机组按 Liebert/Vertiv 精密空调（liebert-ac 采集模板）监控，品牌据此登记"}
add("PAC-01", "precision_ac", "Liebert", "机房用精密空气调节器", "CY-DC1", item=58, warranty="2027-01-10", contract="精密空调季度保养", extra=PAC)
add("PAC-02", "precision_ac", "Liebert", "机房用精密空气调节器", "CY-DC1", item=58, warranty="2027-01-10", contract="精密空调季度保养", extra=PAC)
add("SW-01", "switch", "艾默生", "二层接入交换机", "CY-DC1", "A04", 22, 1, 59)
add("SW-02", "switch", "H3C", "二层接入交换机", "CY-DC1", "A04", 20, 1, 60)
add("SW-03", "switch", "", "EDS-1624 二层接入交换机", "CY-DC1", "A04", 18, 1, 61, extra={"品牌说明": "清单制造商栏为型号 EDS-1624，品牌未载明"})
add("CONSOLE-01", "pc", "联想", "一楼大屏幕控制台（台式电脑）", "CY-CMD", item=62, extra={"品牌说明": "清单规格为联想台式电脑、制造商栏为 CISCO；品牌按规格登记"})
add("RADIO-01", "other", "联想", "800M 通讯电台及附属设备", "CY-CMD", item=63)

# Every line of the list is in the register.
assert used == set(SOURCE), sorted(set(SOURCE) - used)

w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["tag", "category", "make", "model", "serial", "room", "rack", "position", "height_u", "status",
            "management_address", "owner", "purchase_date", "warranty_end", "support_contract", "attributes"])
w.writerows(rows)
