package org.gridlink.kernel.stats.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.gridlink.kernel.stats.Assessment;
import org.gridlink.kernel.stats.Figures;
import org.gridlink.kernel.support.web.Tables;
import org.junit.jupiter.api.Test;

/** The XLSX exports open with POI and hold the Chinese headers, the numbers as numbers and the codes as text. */
class StatsWorkbooksTest {

    static StatsController.StatsView aStatsView() {
        Map<String, Long> counts = Map.of("reported", 8L, "resolved", 6L, "resolvedOnTime", 3L, "receivedDispatches", 4L,
                "returnsApproved", 1L);
        StatsController.FiguresView figures = StatsController.FiguresView.of(counts);
        StatsController.ChildView child = new StatsController.ChildView("410105001000", "经八路街道",
                Instant.parse("2026-11-30T01:00:00Z"), true, 42L, figures, Map.of("parkedNow", 2L));
        StatsController.ChildView silent = new StatsController.ChildView("410105002000", "花园路街道", null, true, null,
                null, null);
        return new StatsController.StatsView("410105000000", "金水区", LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 30),
                Instant.parse("2026-11-30T02:00:00Z"), figures, Map.of("overdueNow", 1L, "parkedNow", 2L),
                StatsController.FiguresView.of(Map.of()), List.of(child, silent));
    }

    @Test
    void theStatsWorkbookHasTheChineseHeadersTheNumbersAsNumbersAndTheCodesAsText() throws Exception {
        byte[] bytes = workbook("统计", Exports.statsTable(aStatsView()));
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(bytes))) {
            Sheet sheet = wb.getSheet("统计");
            assertThat(sheet).isNotNull();
            List<String> header = texts(sheet.getRow(0));
            assertThat(header).contains("单位代码", "新报数", "处置数", "退单数(流转次数)", "受派件数", "处置率", "按期处置率",
                    "退单率", "满意率", "当前挂账数");
            assertThat(sheet.getLastRowNum()).isEqualTo(4); // header, total, own, two children

            Row total = sheet.getRow(1);
            assertThat(total.getCell(header.indexOf("单位代码")).getCellType()).isEqualTo(CellType.STRING);
            assertThat(total.getCell(header.indexOf("单位代码")).getStringCellValue()).isEqualTo("410105000000");
            assertThat(total.getCell(header.indexOf("范围")).getStringCellValue()).isEqualTo("本级及下级合计");
            assertNumber(total.getCell(header.indexOf("新报数")), 8);
            assertNumber(total.getCell(header.indexOf("处置数")), 6);
            assertNumber(total.getCell(header.indexOf("处置率")), 0.75);
            assertNumber(total.getCell(header.indexOf("按期处置率")), 0.5);
            assertNumber(total.getCell(header.indexOf("退单率")), 0.25);
            assertNumber(total.getCell(header.indexOf("当前挂账数")), 2);
            // no data is an empty cell, never 0
            assertThat(total.getCell(header.indexOf("满意率")).getCellType()).isEqualTo(CellType.BLANK);

            Row child = sheet.getRow(3);
            assertThat(child.getCell(header.indexOf("单位名称")).getStringCellValue()).isEqualTo("经八路街道");
            assertThat(child.getCell(header.indexOf("数据过期")).getStringCellValue()).isEqualTo("是");
            assertNumber(child.getCell(header.indexOf("数据时长(秒)")), 42);
            Row silent = sheet.getRow(4);
            assertThat(silent.getCell(header.indexOf("新报数")).getCellType()).isEqualTo(CellType.BLANK);
        }
    }

    @Test
    void theAssessmentWorkbookHasTheRanksScoresBandsAndFormula() throws Exception {
        Map<String, Long> counts = Map.of("reported", 4L, "resolved", 4L, "resolvedOnTime", 4L);
        Assessment.Ranked first = new Assessment.Ranked(1, "410105001000", "经八路街道", 65.5, Assessment.Band.COMMENDED,
                List.of(), Figures.rates(counts), counts);
        Assessment.Ranked none = new Assessment.Ranked(0, "410105002000", "花园路街道", null, Assessment.Band.NO_DATA,
                List.of(), Figures.rates(Map.of()), Map.of());
        StatsController.AssessmentView view = new StatsController.AssessmentView("410105000000", "2026-11",
                LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 30), "children", "100 × (0.35 × 处置率(handlingRate))",
                "ties", "bands", List.of(first, none));
        byte[] bytes = workbook("考核", Exports.assessmentTable(view));
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(bytes))) {
            Sheet sheet = wb.getSheetAt(0);
            assertThat(wb.getSheetName(0)).isEqualTo("考核");
            List<String> header = texts(sheet.getRow(0));
            assertThat(header).startsWith("考核期", "排名", "代码", "名称", "得分", "奖惩档次").contains("计分公式");
            Row row = sheet.getRow(1);
            assertThat(row.getCell(0).getStringCellValue()).isEqualTo("2026-11");
            assertNumber(row.getCell(1), 1);
            assertThat(row.getCell(2).getStringCellValue()).isEqualTo("410105001000");
            assertNumber(row.getCell(4), 65.5);
            assertThat(row.getCell(5).getStringCellValue()).isEqualTo("表扬");
            assertNumber(row.getCell(header.indexOf("处置率")), 1.0);
            assertThat(row.getCell(header.indexOf("计分公式")).getStringCellValue()).contains("处置率(handlingRate)");
            assertThat(sheet.getRow(2).getCell(5).getStringCellValue()).isEqualTo("无数据");
            assertThat(sheet.getRow(2).getCell(1).getCellType()).isEqualTo(CellType.BLANK);
        }
    }

    @Test
    void aValueThatLooksLikeAFormulaStaysText() throws Exception {
        byte[] bytes = workbook("t", List.of(List.of("名称", "新报数"), List.of("=HYPERLINK(\"x\")", "3")));
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(bytes))) {
            Cell cell = wb.getSheetAt(0).getRow(1).getCell(0);
            assertThat(cell.getCellType()).isEqualTo(CellType.STRING);
            assertThat(cell.getStringCellValue()).isEqualTo("=HYPERLINK(\"x\")");
        }
    }

    /** The table as the stats endpoints answer it for ?format=xlsx. */
    private static byte[] workbook(String sheet, List<List<String>> rows) {
        return (byte[]) Tables.respond(Tables.Format.XLSX, null, () -> rows, "t", sheet, Exports.TEXT_COLUMNS).block()
                .getBody();
    }

    private static void assertNumber(Cell cell, double expected) {
        assertThat(cell.getCellType()).isEqualTo(CellType.NUMERIC);
        assertThat(cell.getNumericCellValue()).isEqualTo(expected);
    }

    private static List<String> texts(Row row) {
        List<String> texts = new ArrayList<>();
        row.forEach(c -> texts.add(c.getStringCellValue()));
        return texts;
    }
}
