package org.gridlink.kernel.support.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * A table as an Excel workbook (XLSX, Apache POI): one sheet, its first row the header in bold and frozen, values that
 * look like numbers as numbers (but in the columns named text: codes keep their digits, dates stay as read), every
 * other value a literal string (never a formula). Only {@link Tables}' XLSX branch touches this class, so POI is loaded
 * on the first workbook asked for, never at start-up.
 */
final class Workbooks {

    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE]-?[0-9]+)?");
    private static final int MAX_WIDTH = 60 * 256;

    private Workbooks() {
    }

    /** The table (first row the header) as a workbook with one sheet named {@code sheetName}. */
    static byte[] workbook(String sheetName, List<List<String>> rows, Set<String> textColumns) {
        try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Sheet sheet = wb.createSheet(sheetName);
            CellStyle header = wb.createCellStyle();
            Font bold = wb.createFont();
            bold.setBold(true);
            header.setFont(bold);
            List<String> names = rows.isEmpty() ? List.of() : rows.get(0);
            int[] widths = new int[names.size()];
            for (int i = 0; i < rows.size(); i++) {
                Row row = sheet.createRow(i);
                List<String> values = rows.get(i);
                for (int c = 0; c < values.size(); c++) {
                    String v = values.get(c);
                    Cell cell = row.createCell(c);
                    if (i == 0) {
                        cell.setCellStyle(header);
                    }
                    if (v == null || v.isEmpty()) {
                        continue;
                    }
                    boolean text = i == 0 || c >= names.size() || textColumns.contains(names.get(c));
                    if (!text && NUMBER.matcher(v).matches()) {
                        cell.setCellValue(Double.parseDouble(v));
                    } else {
                        cell.setCellValue(v); // a literal string, never a formula
                    }
                    if (c < widths.length) {
                        // CJK characters are about twice as wide as Latin ones
                        int w = v.codePoints().map(cp -> cp > 0x2E80 ? 2 : 1).sum();
                        widths[c] = Math.max(widths[c], w);
                    }
                }
            }
            for (int c = 0; c < widths.length; c++) {
                sheet.setColumnWidth(c, Math.min(MAX_WIDTH, (widths[c] + 2) * 256));
            }
            sheet.createFreezePane(0, 1);
            wb.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the workbook", e);
        }
    }
}
