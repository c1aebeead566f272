"""A member's notification preferences as notify keeps them. Pure.

Routing's choices (the code channel, channels turned off, the language) and the member's quiet
hours and WhatsApp opt-in, which routing reads as reach. A member who never chose anything
gets the defaults: codes by SMS, every channel on, quiet 21:00-06:00 WIB, no chat.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from services.notify.domain.quiet import QuietHours
from services.notify.domain.routing import Preferences


@dataclass(frozen=True, slots=True)
class MemberPreferences:
    routing: Preferences = field(default_factory=Preferences)
    quiet: QuietHours = field(default_factory=QuietHours)
    chat_opt_in: bool = False
    chosen_language: bool = False  # False: the address book's locale decides

    def speaking(self, locale: str) -> Preferences:
        """Routing's preferences in the member's language: theirs if chosen, else `locale`."""
        if self.chosen_language:
            return self.routing
        return Preferences(self.routing.code_channel, self.routing.disabled, locale)
