"""Membership's use cases: one async function per command, query and consumed event.

Each takes a connection (the caller's unit of work: one transaction), the command, and only
what it needs by keyword (`now`, and the secrets it uses: `pepper`, `seal_key`, `jwt_secret`).
They raise the domain errors of `common.errors`; they know no HTTP and hold no SQL (that is
`store/`). The dicts below are the whole map: the API calls these, the worker routes events here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contracts import events
from services.membership.handlers import (
    assisted,
    commands,
    complaints,
    contacts,
    deciders,
    families,
    kiosk_requests,
    officers,
    projections,
    reassign,
    registration,
    requests,
    sessions,
    staff_accounts,
)

COMMANDS: dict[type, Callable[..., Any]] = {
    commands.StartRegistration: registration.start_registration,
    commands.ResendCode: registration.resend_code,
    commands.VerifyRegistration: registration.verify_registration,
    commands.LogIn: sessions.log_in,
    commands.RefreshSession: sessions.refresh_session,
    commands.LogOut: sessions.log_out,
    commands.ChangePassword: sessions.change_password,
    commands.LogInOfficer: sessions.log_in_officer,
    commands.RegisterFamily: families.register_family,
    commands.RequestFaskesChange: requests.request_faskes_change,
    commands.RequestClassChange: requests.request_class_change,
    commands.AddNewborn: requests.add_newborn,
    commands.CorrectIdentity: requests.correct_identity,
    commands.ChangeAddress: requests.change_address,
    commands.StartContactChange: contacts.start_contact_change,
    commands.VerifyContactChange: contacts.verify_contact_change,
    commands.ResendContactCode: contacts.resend_contact_code,
    commands.CancelContactChange: contacts.cancel_contact_change,
    commands.FileComplaint: complaints.file_complaint,
    commands.DecideRequest: officers.decide_request,
    commands.AnswerComplaint: complaints.answer_complaint,
    commands.CreateStaff: staff_accounts.create_staff,
    commands.DisableStaff: staff_accounts.disable_staff,
    commands.ResetStaffPassword: staff_accounts.reset_password,
    commands.StartAssistedSession: assisted.start_assisted_session,
    commands.ConfirmAssistedSession: assisted.confirm_assisted_session,
    commands.CloseAssistedSession: assisted.close_assisted_session,
    commands.ActForMember: kiosk_requests.act_for_member,
    commands.Reassign: reassign.reassign,
}

EVENT_HANDLERS: dict[str, Callable[..., Any]] = {
    events.FacilityRegistered.type: deciders.record_facility,
    events.PremiumArrearsChanged.type: deciders.record_arrears,
    events.CoverageStatusChanged.type: projections.record_coverage,
    events.VirtualAccountOpened.type: projections.record_virtual_account,
    events.FaskesChangeRequested.type: deciders.decide_faskes_change,
    events.ClassChangeRequested.type: deciders.decide_class_change,
    events.FamilyMemberRequested.type: deciders.decide_newborn,
    events.IdentityCorrectionRequested.type: deciders.route_identity_correction,
}
