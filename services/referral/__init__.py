"""Referral: the facility registry (FKTP and FKRTL); online referrals and queues come later."""
