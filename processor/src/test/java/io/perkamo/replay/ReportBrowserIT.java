package io.perkamo.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.core.program.ProgramParse;
import io.perkamo.core.program.Programs;
import io.perkamo.local.DemoSpace;
import io.perkamo.testing.Browser;

/**
 * report.html in a real browser (headless Debian chromium): one file with nothing to fetch,
 * whose script draws the three charts (level distribution, credits per day by rule, per-user
 * differences) and the tables from the data inline.
 */
class ReportBrowserIT {
    @TempDir
    Path dir;

    @Test
    void shouldDrawEveryChartOfAWhatIfReportFromTheFileAlone() throws Exception {
        // given a what-if report of a draft that doubles purchase points, on a file of its own
        ObjectNode draft = DemoSpace.program();
        ((ObjectNode) draft.get("rules").get(1).get("award").get(0)).put("amount", "{{amount}} / 50");
        WhatIfReport report;
        try (SpaceHistory history = Histories.demo("report", 2_000, 3)) {
            report = Replay.whatIf(history, ((ProgramParse.Parsed) Programs.parse(draft)).definition(),
                    Instant.EPOCH, new Replay.Options(Window.ALL, Duration.ofDays(30), 2, Limits.NONE),
                    Progress.silent());
        }
        report.write(dir);
        Path html = dir.resolve("report.html");
        // nothing to fetch: no external script, style or image (the SVG namespace is a name, not a fetch)
        String text = Files.readString(html).replace("\"http://www.w3.org/2000/svg\"", "");
        assertThat(text).doesNotContain("src=").doesNotContain("href=").doesNotContain("url(").doesNotContain("http:")
                .doesNotContain("https:").doesNotContain("@import");

        // when a browser opens it
        try (Browser browser = Browser.start(1280, 2400)) {
            browser.driver().get(html.toUri().toString());

            // then its script ran to the end and each chart drew its bars
            assertThat(browser.driver().findElement(By.tagName("body")).getAttribute("data-report")).isEqualTo("drawn");
            assertThat(browser.driver().findElement(By.id("levels")).getAttribute("data-drawn")).isEqualTo("bars");
            assertThat(browser.driver().findElement(By.id("credits")).getAttribute("data-drawn")).isEqualTo("stacked");
            assertThat(browser.driver().findElement(By.id("histogram")).getAttribute("data-drawn"))
                    .isEqualTo("histogram");
            for (String chart : new String[] {"levels", "credits", "histogram"}) {
                long bars = browser.driver().findElements(By.cssSelector("#" + chart + " svg rect.bar")).stream()
                        .filter(r -> Double.parseDouble(r.getAttribute("height")) > 0).count();
                assertThat(bars).as(chart + " bars with a height").isPositive();
            }
            assertThat(browser.driver().findElement(By.id("title")).getText()).isEqualTo("What-if: Space report");
            assertThat(browser.driver().findElements(By.cssSelector("#tables table tbody tr"))).isNotEmpty();
            browser.screenshot("replay-report");
        }
    }
}
