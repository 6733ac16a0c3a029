//! `relais plan import|report|export` with good and bad files.

use super::{Env, stdout};

const HEADER: &str = "axis,axis_title,action,action_title,measure,title,pilot,partners,deadline,indicator,baseline,target,cost_eur,funding,status,rapporteur_status";

/// Four measures: one complete, one in French forms, one bare, one rated only.
fn plan_file() -> String {
    [
        HEADER,
        "1,Informer et communiquer,1,Mobiliser la société,1,Informer et sensibiliser,MIPROF,DGT;DGEF,2021-12,Personnes sensibilisées,0,10000,12500.50,P137 action 25,done,partially_done",
        "1,,1,,2,Créer un site gouvernemental dédié,MIPROF,,2021,Site en ligne,non,oui,\"12 500,50\",AGRASC,en cours,non réalisée",
        "1,,2,Mener des actions de prévention ciblées,5,Informer le monde de l'entreprise,,,,,,,,,,",
        ",,,,16,Mécanisme national d'orientation,,,,,,,,,,not_done",
    ]
    .join("\n")
        + "\n"
}

pub async fn import_report_export(postgres: bool) {
    let env = Env::new(postgres).await;
    let dir = env.dir.path();
    let file = dir.join("plan.csv");
    std::fs::write(&file, plan_file()).unwrap();
    let import = |path: &std::path::Path, code: &str, extra: &[&str]| {
        let mut args = vec![
            "plan",
            "import",
            path.to_str().unwrap(),
            "--code",
            code,
            "--title",
            "2e plan national",
            "--start",
            "2019",
            "--end",
            "2021",
        ];
        args.extend_from_slice(extra);
        env.run(&args)
    };

    let unknown = import(&file, "PNLTEH-2", &[]);
    assert_eq!(unknown.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    for expected in [
        "nothing imported",
        "line 2, pilot: no body has this name",
        "line 2, partners: no body has this name",
        "line 3, pilot: no body has this name",
    ] {
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }
    let absent = env.run(&["plan", "report", "PNLTEH-2"]);
    assert_eq!(absent.status.code(), Some(2), "nothing was stored");

    let broken = dir.join("broken.csv");
    let text = plan_file()
        .replace("12500.50,P137", "12.500.5,P137")
        .replace(",en cours,", ",finie,")
        .replace("\n1,,2,Mener", "\nx,,2,Mener");
    std::fs::write(&broken, text).unwrap();
    let refused = import(&broken, "PNLTEH-2", &["--create-bodies"]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    for expected in [
        "3 problem(s)",
        "line 2, cost_eur: expected an amount in euros",
        "line 3, status: expected not_started",
        "line 4, axis: expected a whole number",
    ] {
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }
    let missing_column = dir.join("columns.csv");
    std::fs::write(&missing_column, plan_file().replace("rapporteur_status", "rating")).unwrap();
    let refused = import(&missing_column, "PNLTEH-2", &["--create-bodies"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("line 1, header: the header line must name"));

    let imported = import(&file, "PNLTEH-2", &["--create-bodies"]);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    assert!(
        stdout(&imported).contains("4 measures imported, 4 new or changed, 3 bodies created"),
        "{}",
        stdout(&imported)
    );

    let report = env.run(&["plan", "report", "PNLTEH-2", "--format", "json"]);
    assert!(report.status.success(), "{}", String::from_utf8_lossy(&report.stderr));
    let json: serde_json::Value = serde_json::from_str(&stdout(&report)).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "plan": {"code": "PNLTEH-2", "title": "2e plan national", "start": 2019, "end": 2021},
            "measures": 4,
            "status": {"not_started": 0, "in_progress": 1, "partially_done": 0, "done": 1, "abandoned": 0, "unknown": 2},
            "rapporteur_status": {"done": 0, "partially_done": 1, "not_done": 2, "unassessed": 1},
            "missing": {"pilot": 2, "deadline": 2, "indicator": 2, "target": 2, "cost": 2, "funding": 2},
            "complete": 2,
            "cost_eur_total": 25001.0,
            "divergent": 2,
        })
    );
    let table = env.run(&["plan", "report", "PNLTEH-2"]);
    assert!(
        stdout(&table).contains("cost_eur_total          25001.00"),
        "{}",
        stdout(&table)
    );

    let exported = dir.join("exported.csv");
    let export = env.run(&[
        "plan",
        "export",
        "PNLTEH-2",
        "--format",
        "csv",
        "--output",
        exported.to_str().unwrap(),
    ]);
    assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
    let csv = std::fs::read_to_string(&exported).unwrap();
    assert_eq!(csv.lines().next(), Some(HEADER));
    assert!(
        csv.contains("1,Informer et communiquer,1,Mobiliser la société,2,Créer un site gouvernemental dédié,MIPROF,,2021,Site en ligne,non,oui,12500.50,AGRASC,in_progress,not_done"),
        "{csv}"
    );
    let again = import(&exported, "PNLTEH-2", &[]);
    assert!(
        stdout(&again).contains("4 measures imported, 0 new or changed, 0 bodies created"),
        "an exported file imports back unchanged: {}",
        stdout(&again)
    );
    let copy = import(&exported, "COPY", &[]);
    assert!(copy.status.success());
    let copied = env.run(&["plan", "export", "COPY", "--format", "csv"]);
    assert_eq!(stdout(&copied), csv, "the round trip keeps every cell");

    let workbook = dir.join("plan.xlsx");
    let xlsx = env.run(&[
        "plan",
        "export",
        "PNLTEH-2",
        "--format",
        "xlsx",
        "--output",
        workbook.to_str().unwrap(),
    ]);
    assert!(xlsx.status.success(), "{}", String::from_utf8_lossy(&xlsx.stderr));
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(&workbook).unwrap();
    let sheet = book.worksheet_range("PNLTEH-2").unwrap();
    let rows: Vec<_> = sheet.rows().collect();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0][0], Data::String("axis".into()));
    assert_eq!(rows[1][12], Data::Float(12500.5));
    assert_eq!(rows[4][5], Data::String("Mécanisme national d'orientation".into()));
    assert_eq!(rows[4][15], Data::String("not_done".into()));

    let verify = env.run(&["audit", "verify"]);
    assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stderr));
}
