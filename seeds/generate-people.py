#!/usr/bin/env python3
"""Writes zhengzhou/people.json (the sample city's demo accounts) from units.json, grid-cells.geojson and
departments.json. people.json is checked in; run this again after changing those files:

    python3 seeds/generate-people.py

Who is generated, and why, is described in seeds/README.md ("People").
"""
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent / "zhengzhou"

# Department officers (条): a department's officer at a district or township, with the child units of that
# unit he or she is assigned to (下沉/派驻). A few only: enough to show officers next to the territorial roles.
OFFICERS = [
    ("URBAN_MANAGEMENT", "410105000000", ["410105001000", "410105002000"]),
    ("MARKET_SUPERVISION", "410105000000", ["410105001000"]),
    ("EMERGENCY_MANAGEMENT", "410108000000", ["410108001000", "410108002000"]),
    ("PUBLIC_SECURITY", "410184000000", ["410184101000"]),
    ("URBAN_MANAGEMENT", "410105001000", ["410105001001", "410105001002", "410105001003"]),
    ("MARKET_SUPERVISION", "410105001000", ["410105001001"]),
    ("EMERGENCY_MANAGEMENT", "410108001000", ["410108001001", "410108001002"]),
    ("HOUSING_CONSTRUCTION", "410184101000", ["410184101001", "410184101002", "410184101003"]),
]

# Citizens: residents who report problems in their own community.
CITIZENS = ["410105001001", "410105001002", "410105002001", "410108001001", "410184101001", "410184102001"]
CITIZEN_NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊"]


def load(name):
    with open(HERE / name, encoding="utf-8") as f:
        return json.load(f)


def person(username, name, unit, role, grids=(), assignments=(), contracts=(), department=None):
    p = {"username": username, "name": name, "unit": unit, "roles": [role], "grids": list(grids),
         "assignments": list(assignments), "contracts": list(contracts)}
    if department:
        p["department"] = department
    return p


def parent(code):
    """Zeroes the lowest non-zero level of a 12-digit code PPCCDDTTTVVV."""
    for start, end in ((9, 12), (6, 9), (4, 6)):
        if code[start:end].strip("0"):
            return code[:start] + "0" * (end - start) + code[end:]
    return None


def main():
    units = sorted(load("units.json"), key=lambda u: u["code"])
    cells = load("grid-cells.geojson")["features"]
    departments = {d["code"]: d["name"] for d in load("departments.json")}
    by_code = {u["code"]: u for u in units}
    children = {u["code"]: [c["code"] for c in units if parent(c["code"]) == u["code"]] for u in units}
    cells_of = {}
    for f in sorted(cells, key=lambda f: f["properties"]["code"]):
        cells_of.setdefault(f["properties"]["community"], []).append(f["properties"])

    people = []
    for u in units:
        code, name, tier = u["code"], u["name"], u["tier"]
        people.append(person("handler." + code, name + "处置员", code, "HANDLER"))
        people.append(person("supervisor." + code, name + "督办员", code, "SUPERVISOR"))
        if tier != "COMMUNITY":
            # 分包: every leader answers for all the child units (one leader per unit in the sample city)
            people.append(person("leader." + code, name + "分包领导", code, "LEADER", contracts=children[code]))
        for dept, at, assigned in OFFICERS:
            if at == code:
                # a township has no bureaus of its own: its officer is the district bureau's, stationed there
                title = (name + departments[dept] + "专员" if tier == "DISTRICT"
                         else by_code[parent(code)]["name"] + departments[dept] + "驻" + name + "专员")
                people.append(person("officer." + dept + "." + code, title, code, "DEPARTMENT_OFFICER",
                                     assignments=assigned, department=dept))
        if tier == "CITY":
            people.append(person("admin." + code, name + "系统管理员", code, "ADMIN"))
        if tier == "COMMUNITY":
            own = cells_of.get(code, [])
            people.append(person("gridleader." + code, name + "网格长", code, "GRID_WORKER",
                                 grids=[c["code"] for c in own]))
            for c in own:
                people.append(person("gridworker." + c["code"], c["name"] + "网格员", code, "GRID_WORKER",
                                     grids=[c["code"]]))
    for i, (community, name) in enumerate(zip(CITIZENS, CITIZEN_NAMES), start=1):
        people.append(person("citizen." + str(i), name + "（" + by_code[community]["name"] + "居民）", community,
                             "CITIZEN"))

    with open(HERE / "people.json", "w", encoding="utf-8") as f:
        json.dump(people, f, ensure_ascii=False, indent=2)
        f.write("\n")
    print("wrote %d people to %s" % (len(people), HERE / "people.json"))


if __name__ == "__main__":
    main()
