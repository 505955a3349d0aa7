package org.gridlink.kernel.notices;

import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.access.Person;
import org.gridlink.kernel.cases.application.TierWork;
import reactor.core.publisher.Flux;

/**
 * A unit's notices in its to-do (待办): those it has not signed for (待签收通知), shown on the 通知 tab. Every tier but the city receives notices; the city's count is always 0 and not
 * shown. Shown to the people who sign for them and to readers above the unit, not to its grid workers and officers.
 */
public class NoticeWork implements TierWork {

    private final NoticeHandling notices;

    public NoticeWork(NoticeHandling notices) {
        this.notices = notices;
    }

    @Override
    public Flux<Item> todo(UnitCode unit, Person person) {
        if (unit.parent().isEmpty()) {
            return Flux.empty(); // the top receives no notice
        }
        if (!TierWork.forSupervisorsAndHandlers(unit, person)) {
            return Flux.empty(); // a grid worker or an officer of the unit does not sign for its notices
        }
        return notices.unsigned(unit).map(count ->
                new Item("unsignedNotices", "待签收通知", "Notices to sign for", count, "notices")).flux();
    }
}
